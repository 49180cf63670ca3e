// Receipts and cached paid responses, in memory and in the node's journal. Keyed two ways: by authorization (to answer
// a re-presented payment with its original response) and by receipt id (GET /v1/receipts/:id).
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import type { Hex } from 'viem';
import type { Commitment, InferResponse, ReceiptRecord, SettlementStatus } from '../contracts/inference-http';
import type { Logger } from '../log';
import { openJournal } from '../journal';

export type ServedPayment = {
  /** authorizationKeyOf(asset, payer, nonce) */
  key: Hex;
  /** Identity of the exact payment bytes (authorization, signature, accepted requirements). */
  fingerprint: string;
  /** keccak256 of the canonical request (model id and rows). */
  requestHash: Hex;
  receiptId: string;
  body: InferResponse;
  payment: { payload: PaymentPayload; requirements: PaymentRequirements };
};

type JournalRecord =
  | { t: 'served'; served: ServedPayment; digest: Hex; settlement: SettlementStatus; commitment: Commitment }
  | { t: 'settlement'; receiptId: string; settlement: SettlementStatus }
  | { t: 'commitment'; receiptId: string; commitment: Commitment };

export type ReceiptStore = {
  paymentByKey(key: Hex): ServedPayment | undefined;
  record(receiptId: string): ReceiptRecord | undefined;
  recordServed(served: ServedPayment, digest: Hex, settlement: SettlementStatus, commitment: Commitment): void;
  setSettlement(receiptId: string, settlement: SettlementStatus): void;
  setCommitment(receiptId: string, commitment: Commitment): void;
  /** Work a previous run left unfinished: payments still to settle, receipts still to commit. */
  unfinished(): {
    settlements: ServedPayment[];
    commitments: Array<{ receiptId: string; digest: Hex; kind: Commitment['kind'] }>;
  };
};

export function openReceiptStore(journalFile: string, logger: Logger): ReceiptStore {
  const journal = openJournal<JournalRecord>(journalFile, logger);
  const byKey = new Map<string, ServedPayment>();
  const records = new Map<string, ReceiptRecord & { key: Hex }>();

  function apply(r: JournalRecord): void {
    if (r.t === 'served') {
      byKey.set(r.served.key, r.served);
      records.set(r.served.receiptId, {
        receipt: r.served.body.receipt,
        digest: r.digest,
        settlement: r.settlement,
        commitment: r.commitment,
        key: r.served.key,
      });
      return;
    }
    const existing = records.get(r.receiptId);
    if (!existing) return;
    if (r.t === 'settlement') existing.settlement = r.settlement;
    else existing.commitment = r.commitment;
  }

  const replayed = journal.replay();
  replayed.forEach(apply);
  if (replayed.length > 0)
    logger.info({ journal: journal.file, records: replayed.length, receipts: records.size }, 'journal replayed');

  const write = (r: JournalRecord) => {
    journal.append(r);
    apply(r);
  };

  return {
    paymentByKey: (key) => byKey.get(key),
    record(receiptId) {
      const r = records.get(receiptId);
      if (!r) return undefined;
      const { key: _key, ...record } = r;
      return record;
    },
    recordServed: (served, digest, settlement, commitment) =>
      write({ t: 'served', served, digest, settlement, commitment }),
    setSettlement: (receiptId, settlement) => write({ t: 'settlement', receiptId, settlement }),
    setCommitment: (receiptId, commitment) => write({ t: 'commitment', receiptId, commitment }),
    unfinished() {
      const settlements: ServedPayment[] = [];
      const commitments: Array<{ receiptId: string; digest: Hex; kind: Commitment['kind'] }> = [];
      for (const [receiptId, r] of records) {
        const served = byKey.get(r.key);
        if (r.settlement.status === 'pending' && served) settlements.push(served);
        if (r.commitment.status === 'pending')
          commitments.push({ receiptId, digest: r.digest, kind: r.commitment.kind });
      }
      return { settlements, commitments };
    },
  };
}
