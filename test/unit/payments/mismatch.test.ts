// The node names which field of a payment disagrees with its offer.
import { diagnoseAuthorizationMismatch, diagnoseRequirementsMismatch } from '../../../src/payments';

const offered = {
  scheme: 'exact',
  network: 'eip155:31337' as const,
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  amount: '1000',
  payTo: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  maxTimeoutSeconds: 300,
  extra: {},
};

describe('payment mismatch diagnosis', () => {
  it.each([
    [{ scheme: 'upto' }, 'payment_scheme_mismatch'],
    [{ network: 'eip155:1' as const }, 'payment_network_mismatch'],
    [{ asset: '0x0000000000000000000000000000000000000001' }, 'payment_asset_mismatch'],
    [{ amount: '999' }, 'payment_amount_mismatch'],
    [{ payTo: '0x0000000000000000000000000000000000000002' }, 'payment_recipient_mismatch'],
    [{ maxTimeoutSeconds: 60 }, 'payment_requirements_mismatch'],
  ])('names %o as %s', (change, reason) => {
    expect(diagnoseRequirementsMismatch(offered, { ...offered, ...change })).toBe(reason);
  });

  it('ignores address case and checks the signed authorization too', () => {
    expect(diagnoseRequirementsMismatch(offered, { ...offered, asset: offered.asset.toLowerCase(), amount: '1' })).toBe(
      'payment_amount_mismatch',
    );
    expect(diagnoseAuthorizationMismatch(offered, { to: offered.payTo.toLowerCase(), value: '1000' })).toBeUndefined();
    expect(diagnoseAuthorizationMismatch(offered, { to: offered.payTo, value: '1' })).toBe('payment_amount_mismatch');
    expect(diagnoseAuthorizationMismatch(offered, { to: offered.asset, value: '1000' })).toBe(
      'payment_recipient_mismatch',
    );
  });
});
