// Node side of GET /v1/receipts/:id/proof: proofs are made after the answer, one job at a time, and polled.
// The node calls `request` once it has answered; `handle` gives the HTTP status (202 pending, 200 ready, 404, 500).
import type { Logger } from 'pino';
import { createFaultHooks, type NodeFaultHooks } from '../faults';
import type { ProofStatus } from './bundle';
import type { Groth16Prover } from './prover';

export type ProofService = {
  request(receiptId: string, modelId: string, rows: number[][], outputs: number[][]): void;
  get(receiptId: string): ProofStatus | undefined;
  handle(receiptId: string): { status: 200 | 202 | 404 | 500; body: ProofStatus | { reason: string; message: string } };
  /** Resolves when every queued proof is done (for shutdown and tests). */
  idle(): Promise<void>;
};

/** The node was started without a prover (`proving: false`, benchmarks of the payment path): expected, not a fault. */
export class ProvingDisabledError extends Error {
  override readonly name = 'ProvingDisabledError';
  readonly code = 'proving_disabled';
  constructor() {
    super('this node does not make zkML proofs (proving disabled)');
  }
}

export type ProofServiceOptions = {
  prover: Groth16Prover;
  logger?: Logger;
  faults?: NodeFaultHooks;
  /** Proof records kept in memory (oldest dropped first); a receipt's proof is asked for within minutes. */
  capacity?: number;
};

export function createProofService(options: ProofServiceOptions): ProofService {
  const faults = options.faults ?? createFaultHooks([]);
  const capacity = options.capacity ?? 10_000;
  const records = new Map<string, ProofStatus>();
  // One proof at a time: proving is CPU-bound and must not starve the node's answers.
  let queue: Promise<void> = Promise.resolve();

  const remember = (receiptId: string, status: ProofStatus) => {
    records.delete(receiptId);
    records.set(receiptId, status);
    if (records.size > capacity) records.delete(records.keys().next().value as string);
  };

  return {
    request(receiptId, modelId, rows, outputs) {
      if (records.has(receiptId)) return;
      remember(receiptId, { status: 'pending' });
      if (!faults.deliversProofs()) return;
      queue = queue.then(async () => {
        try {
          const bundle = await options.prover.prove({ receiptId, modelId, rows, outputs }, faults.rowsToProve(rows));
          remember(receiptId, { status: 'ready', bundle });
          options.logger?.info({ receiptId, modelId, provingMs: Math.round(bundle.provingMs), rows: rows.length }, 'proof ready');
        } catch (error) {
          remember(receiptId, { status: 'failed', reason: 'proof_failed', message: (error as Error).message });
          if (error instanceof ProvingDisabledError) options.logger?.debug({ receiptId, modelId }, 'no proof: proving disabled');
          else options.logger?.warn({ receiptId, modelId, err: error }, 'proof failed');
        }
      });
    },
    get: (receiptId) => records.get(receiptId),
    handle(receiptId) {
      const record = records.get(receiptId);
      if (!record) return { status: 404, body: { reason: 'proof_unavailable', message: `no proof was requested for receipt ${receiptId}` } };
      return { status: record.status === 'ready' ? 200 : record.status === 'pending' ? 202 : 500, body: record };
    },
    idle: () => queue,
  };
}
