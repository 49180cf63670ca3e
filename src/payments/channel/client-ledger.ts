// The payer's side of a channel, as pure decisions: which cumulative amount an idempotency key gets, and whether its
// payment must carry a deposit. A key keeps the charge it was first given (its voucher is the same bytes on every
// retry); a new key gets the channel's last cumulative amount plus the price, so no two keys share a voucher.
import type { Hex } from 'viem';
import type { ChannelPaymentPayload } from '../../contracts/channel';

export type ChannelCharge = {
  key: string;
  channelId: Hex;
  /** The voucher's maxClaimableAmount: everything this channel has been charged up to and including this key. */
  cumulative: bigint;
  /** What this key's inference costs (the offer's amount). */
  amount: bigint;
  payload: ChannelPaymentPayload;
};

export type ClientChannelBook = {
  byKey: Map<string, ChannelCharge>;
  /** Highest cumulative amount given out, per channel. */
  last: Map<Hex, bigint>;
};

export type ChargePlan =
  | { kind: 'existing'; charge: ChannelCharge }
  | { kind: 'voucher'; cumulative: bigint }
  | { kind: 'deposit'; cumulative: bigint; depositAmount: bigint };

export function emptyClientChannelBook(): ClientChannelBook {
  return { byKey: new Map(), last: new Map() };
}

export function recordCharge(book: ClientChannelBook, charge: ChannelCharge): void {
  book.byKey.set(charge.key, charge);
  const last = book.last.get(charge.channelId) ?? 0n;
  if (charge.cumulative > last) book.last.set(charge.channelId, charge.cumulative);
}

/**
 * `capacity` is the channel's balance on chain (deposits less refunds): a voucher above it would be refused, so the
 * payment then carries a deposit of `depositMultiple` prices (or what the gap needs, if more).
 */
export function planCharge(
  book: ClientChannelBook,
  input: { key: string; channelId: Hex; amount: bigint; capacity: bigint; depositMultiple: bigint },
): ChargePlan {
  const existing = book.byKey.get(input.key);
  if (existing) return { kind: 'existing', charge: existing };
  const cumulative = (book.last.get(input.channelId) ?? 0n) + input.amount;
  if (cumulative <= input.capacity) return { kind: 'voucher', cumulative };
  const gap = cumulative - input.capacity;
  const target = input.amount * input.depositMultiple;
  return { kind: 'deposit', cumulative, depositAmount: gap > target ? gap : target };
}
