// The pure decisions of channel mode: which cumulative amount a payer's key gets (and when it must deposit), and
// which vouchers a node may take.
import type { Hex } from 'viem';
import { emptyClientChannelBook, planCharge, recordCharge, refusalOf } from '../../../src/payments';
import type { ChannelPaymentPayload } from '../../../src/contracts';

const CHANNEL = `0x${'ab'.repeat(32)}` as Hex;
const payload = {} as ChannelPaymentPayload;

function buildPlan(overrides: Partial<Parameters<typeof planCharge>[1]> = {}) {
  return { key: 'k', channelId: CHANNEL, amount: 10n, capacity: 0n, depositMultiple: 100n, ...overrides };
}

describe('payer channel book', () => {
  it('deposits for the first charge of an empty channel, the multiple of the price', () => {
    expect(planCharge(emptyClientChannelBook(), buildPlan())).toEqual({
      kind: 'deposit',
      cumulative: 10n,
      depositAmount: 1000n,
    });
  });

  it('gives each new key the last cumulative amount plus its price, and a known key its own charge again', () => {
    const book = emptyClientChannelBook();
    recordCharge(book, { key: 'a', channelId: CHANNEL, cumulative: 10n, amount: 10n, payload });
    recordCharge(book, { key: 'b', channelId: CHANNEL, cumulative: 20n, amount: 10n, payload });
    expect(planCharge(book, buildPlan({ key: 'c', capacity: 1000n }))).toEqual({ kind: 'voucher', cumulative: 30n });
    expect(planCharge(book, buildPlan({ key: 'a', capacity: 1000n }))).toMatchObject({
      kind: 'existing',
      charge: { cumulative: 10n },
    });
  });

  it('tops up when the next voucher would pass the balance on chain (after refunds), by at least the gap', () => {
    const book = emptyClientChannelBook();
    recordCharge(book, { key: 'a', channelId: CHANNEL, cumulative: 990n, amount: 10n, payload });
    expect(planCharge(book, buildPlan({ key: 'b', capacity: 995n, depositMultiple: 0n }))).toEqual({
      kind: 'deposit',
      cumulative: 1000n,
      depositAmount: 5n,
    });
  });
});

describe('node channel book', () => {
  const state = (charged: bigint, maxSigned: bigint, used: bigint[] = []) => ({
    charged,
    maxSigned,
    used: new Set(used.map(String)),
  });

  it('takes vouchers in any order as long as the charges stay within the highest signed one', () => {
    expect(refusalOf(undefined, 10n, 10n)).toBeUndefined();
    // 30 arrived first (charged 10), then 10 and 20: each keeps charged <= 30.
    expect(refusalOf(state(10n, 30n, [30n]), 10n, 10n)).toBeUndefined();
    expect(refusalOf(state(20n, 30n, [30n, 10n]), 20n, 10n)).toBeUndefined();
  });

  it('refuses a voucher that would charge past what the payer signed, and a cumulative amount used before', () => {
    expect(refusalOf(state(10n, 10n, [10n]), 11n, 10n)).toBe('charge_exceeds_voucher');
    expect(refusalOf(state(10n, 10n, [10n]), 10n, 10n)).toBe('charge_replayed');
  });
});
