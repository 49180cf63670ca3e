// The node's channel state: per channel, what it has charged and the highest voucher the payer signed. A voucher is
// taken only if, with its price added, the charges stay within the highest signed voucher: then every charge the node
// served is covered by the payer's signature, whatever order concurrent vouchers arrive in (cumulative amounts are
// distinct multiples of the prices, so k charges never outrun the highest of k vouchers). Charges are reserved while
// their request runs and journalled once served, like the node's payment cache; a restart replays them.
import type { Hex } from 'viem';
import { openJournal } from '../../journal';
import type { Logger } from '../../log';

export type NodeChannelState = { charged: bigint; maxSigned: bigint; used: Set<string> };
export type NodeChargeRefusal = 'charge_replayed' | 'charge_exceeds_voucher';

/** Pure: may a voucher for `cumulative` pay `price` on this channel? */
export function refusalOf(
  state: NodeChannelState | undefined,
  cumulative: bigint,
  price: bigint,
): NodeChargeRefusal | undefined {
  if (state?.used.has(cumulative.toString())) return 'charge_replayed';
  const charged = (state?.charged ?? 0n) + price;
  const signed = state && state.maxSigned > cumulative ? state.maxSigned : cumulative;
  return charged > signed ? 'charge_exceeds_voucher' : undefined;
}

type JournalRecord = { channelId: Hex; cumulative: string; amount: string };

export type NodeChannelBook = {
  /** Reserves the charge or names why not; `release` undoes a reservation whose request failed. */
  reserve(channelId: Hex, cumulative: bigint, price: bigint): NodeChargeRefusal | undefined;
  release(channelId: Hex, cumulative: bigint, price: bigint): void;
  /** The reserved charge was served: written to the journal. */
  commit(channelId: Hex, cumulative: bigint, price: bigint): void;
  charged(channelId: Hex): bigint;
};

export function openNodeChannelBook(file: string, logger: Logger): NodeChannelBook {
  const journal = openJournal<JournalRecord>(file, logger);
  const channels = new Map<Hex, NodeChannelState>();
  const stateOf = (channelId: Hex) => {
    let state = channels.get(channelId);
    if (!state) channels.set(channelId, (state = { charged: 0n, maxSigned: 0n, used: new Set() }));
    return state;
  };
  const add = (channelId: Hex, cumulative: bigint, price: bigint) => {
    const state = stateOf(channelId);
    state.charged += price;
    if (cumulative > state.maxSigned) state.maxSigned = cumulative;
    state.used.add(cumulative.toString());
  };
  for (const r of journal.replay()) add(r.channelId, BigInt(r.cumulative), BigInt(r.amount));
  return {
    reserve(channelId, cumulative, price) {
      const refusal = refusalOf(channels.get(channelId), cumulative, price);
      if (refusal) return refusal;
      add(channelId, cumulative, price);
      return undefined;
    },
    release(channelId, cumulative, price) {
      const state = stateOf(channelId);
      state.charged -= price;
      state.used.delete(cumulative.toString());
      // The released voucher may have been a forgery (its verify failed): it no longer counts as signed.
      state.maxSigned = [...state.used].reduce((max, c) => (BigInt(c) > max ? BigInt(c) : max), 0n);
    },
    commit(channelId, cumulative, price) {
      journal.append({ channelId, cumulative: cumulative.toString(), amount: price.toString() });
    },
    charged: (channelId) => channels.get(channelId)?.charged ?? 0n,
  };
}
