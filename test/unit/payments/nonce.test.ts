// Deterministic authorization fields: same key, same payment; different key or payer, different nonce.
import { encodePacked, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilPrivateKey } from '../../../src/config';
import {
  derivePaymentNonce,
  deriveValidityWindow,
  IdempotentExactEvmScheme,
  PAYMENT_NONCE_DOMAIN,
  toUnixSeconds,
} from '../../../src/payments';

const payer = privateKeyToAccount(anvilPrivateKey(4));
const requirements = {
  scheme: 'exact',
  network: 'eip155:31337' as const,
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  amount: '1000',
  payTo: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  maxTimeoutSeconds: 300,
  extra: { name: 'Proofpath Dev USD', version: '1' },
};

describe('payment nonce derivation', () => {
  it('is keccak256("proofpath.payment.v1" ‖ payer ‖ key), packed', () => {
    expect(derivePaymentNonce(payer.address, 'wf-1/step-2')).toBe(
      keccak256(encodePacked(['string', 'address', 'string'], [PAYMENT_NONCE_DOMAIN, payer.address, 'wf-1/step-2'])),
    );
  });

  it('is stable for the same key and differs across keys and payers', () => {
    const other = privateKeyToAccount(anvilPrivateKey(5)).address;
    expect(derivePaymentNonce(payer.address, 'k')).toBe(
      derivePaymentNonce(payer.address.toLowerCase() as `0x${string}`, 'k'),
    );
    expect(derivePaymentNonce(payer.address, 'k')).not.toBe(derivePaymentNonce(payer.address, 'k2'));
    expect(derivePaymentNonce(payer.address, 'k')).not.toBe(derivePaymentNonce(other, 'k'));
    expect(() => derivePaymentNonce(payer.address, '')).toThrow(RangeError);
  });

  it('derives the validity window from issuedAt, with skew before it', () => {
    expect(deriveValidityWindow(1_000_000, 300)).toEqual({ validAfter: 999_400n, validBefore: 1_000_300n });
    expect(toUnixSeconds('2026-01-01T00:00:00.999Z')).toBe(toUnixSeconds(new Date('2026-01-01T00:00:00Z')));
    expect(() => toUnixSeconds('yesterday')).toThrow(RangeError);
  });

  it('makes @x402/evm sign byte-identical payments for the same key and issuedAt', async () => {
    const pinned = { nonce: derivePaymentNonce(payer.address, 'wf/1'), issuedAtSeconds: 1_800_000_000 };
    const first = await new IdempotentExactEvmScheme(payer, pinned).createPaymentPayload(2, requirements);
    const second = await new IdempotentExactEvmScheme(payer, pinned).createPaymentPayload(2, requirements);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.payload.authorization).toMatchObject({
      nonce: pinned.nonce,
      validAfter: '1799999400',
      validBefore: '1800000300',
      value: '1000',
    });
    const other = await new IdempotentExactEvmScheme(payer, {
      ...pinned,
      nonce: derivePaymentNonce(payer.address, 'wf/2'),
    }).createPaymentPayload(2, requirements);
    expect(other.payload.signature).not.toBe(first.payload.signature);
  });

  it('refuses to pin a Permit2 payment', async () => {
    const scheme = new IdempotentExactEvmScheme(payer, {
      nonce: derivePaymentNonce(payer.address, 'p'),
      issuedAtSeconds: 1,
    });
    await expect(
      scheme.createPaymentPayload(2, {
        ...requirements,
        extra: { ...requirements.extra, assetTransferMethod: 'permit2' },
      }),
    ).rejects.toMatchObject({ code: 'spend_transfer_method_unsupported' });
  });
});
