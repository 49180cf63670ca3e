// Client spend controls, checked before anything is signed: allowed asset, maximum per payment, daily budget per payer.
// Spending is recorded per idempotency key, so re-presenting the same payment never counts against the budget twice.
import { getAddress } from 'viem';
import { SPEND_CODES, SpendControlError } from '../errors';

export type SpendPolicy = {
  /** Token contracts this client may pay in, by network (`eip155:31337`). */
  allowedAssets: ReadonlyArray<{ network: string; asset: `0x${string}` }>;
  maxPerPayment: bigint;
  dailyBudget: bigint;
};

export type SpendRequest = {
  payer: `0x${string}`;
  network: string;
  asset: string;
  amount: bigint;
  idempotencyKey: string;
  at?: Date;
};

export type SpendLedger = {
  /** Throws SpendControlError when the payment is not allowed; otherwise records it (idempotently) and returns. */
  authorize(request: SpendRequest): void;
  /** Forgets a recorded payment the node refused, so it does not consume budget. */
  release(request: Pick<SpendRequest, 'payer' | 'idempotencyKey' | 'at'>): void;
  spentToday(payer: `0x${string}`, at?: Date): bigint;
};

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export function createSpendLedger(policy: SpendPolicy): SpendLedger {
  // payer|day -> idempotencyKey -> amount
  const days = new Map<string, Map<string, bigint>>();
  const bucket = (payer: string, at: Date) => {
    const key = `${getAddress(payer)}|${dayOf(at)}`;
    const entries = days.get(key) ?? new Map<string, bigint>();
    days.set(key, entries);
    return entries;
  };
  const total = (entries: Map<string, bigint>) => [...entries.values()].reduce((a, b) => a + b, 0n);

  return {
    authorize({ payer, network, asset, amount, idempotencyKey, at = new Date() }) {
      const allowed = policy.allowedAssets.some(
        (a) => a.network === network && getAddress(a.asset) === getAddress(asset),
      );
      if (!allowed)
        throw new SpendControlError(
          SPEND_CODES.assetNotAllowed,
          `asset ${asset} on ${network} is not in the allowed assets`,
          false,
          { asset, network },
        );
      if (amount > policy.maxPerPayment) {
        throw new SpendControlError(
          SPEND_CODES.maxPerPayment,
          `payment of ${amount} exceeds the maximum of ${policy.maxPerPayment} per payment`,
          false,
          { amount: String(amount), max: String(policy.maxPerPayment) },
        );
      }
      const entries = bucket(payer, at);
      if (entries.has(idempotencyKey)) return; // the same payment again: already counted
      const spent = total(entries);
      if (spent + amount > policy.dailyBudget) {
        throw new SpendControlError(
          SPEND_CODES.dailyBudget,
          `payment of ${amount} would exceed the daily budget of ${policy.dailyBudget} (spent ${spent})`,
          false,
          { spent: String(spent), budget: String(policy.dailyBudget) },
        );
      }
      entries.set(idempotencyKey, amount);
    },
    release({ payer, idempotencyKey, at = new Date() }) {
      bucket(payer, at).delete(idempotencyKey);
    },
    spentToday: (payer, at = new Date()) => total(bucket(payer, at)),
  };
}
