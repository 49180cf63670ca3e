// Spend controls refuse with named errors before signing, and count a re-presented payment once.
import { createSpendLedger, SpendControlError } from '../../../src/payments';

const asset = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const payer = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65' as const;
const buildLedger = (overrides: Partial<Parameters<typeof createSpendLedger>[0]> = {}) =>
  createSpendLedger({
    allowedAssets: [{ network: 'eip155:31337', asset }],
    maxPerPayment: 1_000n,
    dailyBudget: 2_500n,
    ...overrides,
  });
const request = (overrides: Partial<Parameters<ReturnType<typeof buildLedger>['authorize']>[0]> = {}) => ({
  payer,
  network: 'eip155:31337',
  asset: asset.toLowerCase(),
  amount: 1_000n,
  idempotencyKey: 'k1',
  at: new Date('2026-03-01T12:00:00Z'),
  ...overrides,
});

describe('spend controls', () => {
  it('refuses an asset that is not allowed, or the right asset on another chain', () => {
    const ledger = buildLedger();
    expect(() => ledger.authorize(request({ asset: '0x0000000000000000000000000000000000000001' }))).toThrow(
      expect.objectContaining({ name: 'SpendControlError', code: 'spend_asset_not_allowed' }),
    );
    expect(() => ledger.authorize(request({ network: 'eip155:8453' }))).toThrow(SpendControlError);
  });

  it('refuses a payment above the maximum per payment', () => {
    expect(() => buildLedger().authorize(request({ amount: 1_001n }))).toThrow(
      expect.objectContaining({ code: 'spend_max_per_payment_exceeded', retryable: false }),
    );
  });

  it('enforces the daily budget per payer and UTC day, counting each idempotency key once', () => {
    const ledger = buildLedger();
    ledger.authorize(request({ idempotencyKey: 'a' }));
    ledger.authorize(request({ idempotencyKey: 'a' })); // re-presented: not counted again
    ledger.authorize(request({ idempotencyKey: 'b' }));
    expect(ledger.spentToday(payer, new Date('2026-03-01T23:59:59Z'))).toBe(2_000n);
    expect(() => ledger.authorize(request({ idempotencyKey: 'c' }))).toThrow(
      expect.objectContaining({ code: 'spend_daily_budget_exceeded' }),
    );
    ledger.authorize(request({ idempotencyKey: 'c', amount: 500n }));
    ledger.authorize(request({ idempotencyKey: 'd', at: new Date('2026-03-02T00:00:01Z') })); // a new day
    ledger.authorize(request({ idempotencyKey: 'e', payer: '0x0000000000000000000000000000000000000002' })); // another payer
  });

  it('frees budget for a payment the node refused', () => {
    const ledger = buildLedger();
    ledger.authorize(request({ idempotencyKey: 'a' }));
    ledger.authorize(request({ idempotencyKey: 'b' }));
    ledger.release({ payer, idempotencyKey: 'b', at: new Date('2026-03-01T13:00:00Z') });
    expect(ledger.spentToday(payer, new Date('2026-03-01T13:00:00Z'))).toBe(1_000n);
  });
});
