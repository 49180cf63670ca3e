// The payer's channel book, journalled: gives each idempotency key its charge (a cumulative voucher, or a deposit
// with its first voucher) once, writes it down before it leaves, and hands the same payload back on every retry, also
// after a restart. The payloads are x402 batch-settlement's, signed with @x402/evm's own client functions.
import path from 'node:path';
import type { PaymentRequirements } from '@x402/core/types';
import type { ClientEvmSigner } from '@x402/evm';
import {
  computeChannelId,
  createBatchSettlementEIP3009DepositPayload,
  signVoucher,
} from '@x402/evm/batch-settlement/client';
import { keccak256, toHex, type Hex } from 'viem';
import { z } from 'zod';
import type { ChannelConfig } from '../../chain';
import { ChannelPaymentPayloadSchema, type ChannelPaymentPayload } from '../../contracts/channel';
import { openJournal } from '../../journal';
import type { Logger } from '../../log';
import {
  emptyClientChannelBook,
  planCharge,
  recordCharge,
  type ChannelCharge,
  type ClientChannelBook,
} from './client-ledger';

export const BATCH_SETTLEMENT = 'batch-settlement';

const ChannelExtraSchema = z.object({
  receiverAuthorizer: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  withdrawDelay: z.number().int().positive(),
  name: z.string().min(1),
  version: z.string().min(1),
});

type JournalRecord = {
  key: string;
  channelId: Hex;
  cumulative: string;
  amount: string;
  payload: ChannelPaymentPayload;
};

export type ChannelPayer = {
  /** The payload for `key` under `requirements` (the same one for the same key, always). */
  paymentFor(key: string, requirements: PaymentRequirements): Promise<ChannelCharge>;
  /** Call when the request that carried `key`'s payment is over: a deposit it carried is then on chain (or not). */
  done(key: string): void;
};

/** How long a new charge waits for the channel's deposit to land before it plans without it. */
const DEPOSIT_WAIT_MS = 30_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function channelSaltOf(name: string): Hex {
  return keccak256(toHex(`proofpath.channel/${name}`));
}

export function createChannelPayer(options: {
  signer: ClientEvmSigner;
  /** One channel per (payer, node, name): processes sharing a payer key need distinct names. */
  channelName: string;
  stateDir: string;
  depositMultiple: bigint;
  /** The channel's balance on chain (deposits less refunds). */
  balanceOf(channelId: Hex): Promise<bigint>;
  logger: Logger;
}): ChannelPayer {
  const { signer } = options;
  const file = path.join(
    options.stateDir,
    'payer',
    `${signer.address.toLowerCase()}.${options.channelName}.channels.jsonl`,
  );
  const journal = openJournal<JournalRecord>(file, options.logger);
  const book: ClientChannelBook = emptyClientChannelBook();
  for (const r of journal.replay()) {
    const payload = ChannelPaymentPayloadSchema.safeParse(r.payload);
    if (!payload.success) continue;
    recordCharge(book, {
      key: r.key,
      channelId: r.channelId,
      cumulative: BigInt(r.cumulative),
      amount: BigInt(r.amount),
      payload: payload.data,
    });
  }
  // One assignment at a time per channel; a charge that carries a deposit holds the next ones back until its request
  // is over, so they see the deposit's balance instead of each depositing again.
  const queues = new Map<Hex, Promise<unknown>>();
  const depositsInFlight = new Map<Hex, { key: string; over: Promise<void>; finish(): void }>();

  function configFor(requirements: PaymentRequirements): ChannelConfig {
    const extra = ChannelExtraSchema.parse(requirements.extra);
    return {
      payer: signer.address,
      payerAuthorizer: signer.address,
      receiver: requirements.payTo as `0x${string}`,
      receiverAuthorizer: extra.receiverAuthorizer as `0x${string}`,
      token: requirements.asset as `0x${string}`,
      withdrawDelay: extra.withdrawDelay,
      salt: channelSaltOf(options.channelName),
    };
  }

  async function assign(key: string, requirements: PaymentRequirements, channelId: Hex): Promise<ChannelCharge> {
    const known = book.byKey.get(key);
    if (known) return known;
    const deposit = depositsInFlight.get(channelId);
    if (deposit) await Promise.race([deposit.over, delay(DEPOSIT_WAIT_MS)]);
    const config = configFor(requirements);
    const amount = BigInt(requirements.amount);
    const plan = planCharge(book, {
      key,
      channelId,
      amount,
      capacity: await options.balanceOf(channelId),
      depositMultiple: options.depositMultiple,
    });
    if (plan.kind === 'existing') return plan.charge;
    const signed =
      plan.kind === 'deposit'
        ? await createBatchSettlementEIP3009DepositPayload(
            signer,
            2,
            requirements,
            config,
            plan.depositAmount.toString(),
            plan.cumulative.toString(),
          )
        : {
            payload: {
              type: 'voucher',
              channelConfig: config,
              voucher: await signVoucher(signer, channelId, plan.cumulative.toString(), requirements.network),
            },
          };
    const payload = ChannelPaymentPayloadSchema.parse(signed.payload);
    const charge: ChannelCharge = { key, channelId, cumulative: plan.cumulative, amount, payload };
    journal.append({ key, channelId, cumulative: plan.cumulative.toString(), amount: amount.toString(), payload });
    recordCharge(book, charge);
    if (plan.kind === 'deposit') {
      let finish = () => undefined as void;
      const over = new Promise<void>((resolve) => (finish = resolve));
      depositsInFlight.set(channelId, { key, over, finish });
    }
    return charge;
  }

  return {
    paymentFor(key, requirements) {
      // A retry is answered at once, outside the queue (it may be the deposit the queue is waiting for).
      const known = book.byKey.get(key);
      if (known) return Promise.resolve(known);
      const channelId = computeChannelId(configFor(requirements), requirements.network);
      const previous = queues.get(channelId) ?? Promise.resolve();
      const next = previous.then(() => assign(key, requirements, channelId));
      queues.set(
        channelId,
        next.catch(() => undefined),
      );
      return next;
    },
    done(key) {
      for (const [channelId, deposit] of depositsInFlight)
        if (deposit.key === key) {
          depositsInFlight.delete(channelId);
          deposit.finish();
        }
    },
  };
}
