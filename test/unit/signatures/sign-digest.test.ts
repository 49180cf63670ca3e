// signDigest makes the bytes viem's sign makes (RFC 6979, low s, v = 27/28), and refuses what is not a digest or a key.
import fc from 'fast-check';
import { hashMessage, type Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import { SignatureInputError, signDigest, signMessage, signTypedData } from '../../../src/signatures';
import { digestArbitrary, hex32, N, partsOf, privateKeyArbitrary } from './builders';

const KEY = hex32(0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318n);
const DIGEST = hex32(0xabcdefn);
const ADDRESS = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('signDigest', () => {
  it('returns byte for byte what viem’s sign returns, over random keys and digests', async () => {
    const vs = new Set<number>();
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, digestArbitrary, async (privateKey, digest) => {
        const ours = signDigest(digest, privateKey);
        expect(ours).toBe(await sign({ hash: digest, privateKey, to: 'hex' }));
        const { s, v } = partsOf(ours);
        expect(s <= N / 2n).toBe(true);
        vs.add(v);
      }),
      { numRuns: 300, seed: 11 },
    );
    // Both recovery ids came up, so both spellings of v were compared.
    expect([...vs].sort()).toEqual([27, 28]);
  });

  it('signs an EIP-191 message as viem’s signMessage does (signMessage, or signDigest once viem has hashed it)', async () => {
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, fc.string({ maxLength: 300 }), async (privateKey, message) => {
        const viems = await privateKeyToAccount(privateKey).signMessage({ message });
        expect(signDigest(hashMessage(message), privateKey)).toBe(viems);
        expect(signMessage(message, privateKey)).toBe(viems);
      }),
      { numRuns: 50, seed: 12 },
    );
  });

  it('signs EIP-712 typed data as viem’s signTypedData does', async () => {
    await fc.assert(
      fc.asyncProperty(
        privateKeyArbitrary,
        fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
        async (privateKey, amount) => {
          const typed = {
            domain: { name: 'proofpath', version: '1', chainId: 31337, verifyingContract: ADDRESS },
            types: { Charge: [{ name: 'amount', type: 'uint256' }] },
            primaryType: 'Charge',
            message: { amount },
          } as const;
          expect(signTypedData(typed, privateKey)).toBe(await privateKeyToAccount(privateKey).signTypedData(typed));
        },
      ),
      { numRuns: 50, seed: 13 },
    );
  });

  it('is deterministic and lowercase hex of 65 bytes', () => {
    const signature = signDigest(DIGEST, KEY);
    expect(signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
    expect(signDigest(DIGEST, KEY)).toBe(signature);
    expect(
      signDigest(DIGEST.toUpperCase().replace('0X', '0x') as Hex, KEY.toUpperCase().replace('0X', '0x') as Hex),
    ).toBe(signature);
  });

  it.each<[string, Hex]>([
    ['31 bytes', `0x${'ab'.repeat(31)}`],
    ['33 bytes', `0x${'ab'.repeat(33)}`],
    ['no 0x prefix', 'ab'.repeat(32) as Hex],
    ['a non-hex digit', `0x${'ab'.repeat(31)}zz`],
  ])('refuses a digest of %s with SignatureInputError', (_name, digest) => {
    expect(() => signDigest(digest, KEY)).toThrow(SignatureInputError);
  });

  it.each<[string, Hex]>([
    ['zero', hex32(0n)],
    ['equal to n', hex32(N)],
    ['above n', hex32(N + 1n)],
    ['2^256 - 1', hex32(2n ** 256n - 1n)],
  ])('refuses a private key %s, as viem does, with SignatureInputError', async (_name, privateKey) => {
    expect(() => signDigest(DIGEST, privateKey)).toThrow(SignatureInputError);
    await expect(sign({ hash: DIGEST, privateKey, to: 'hex' })).rejects.toThrow();
  });

  it.each<[string, Hex]>([
    ['31 bytes', `0x${'11'.repeat(31)}`],
    ['33 bytes', `0x${'11'.repeat(33)}`],
    ['a non-hex digit', `0x${'11'.repeat(31)}1g`],
  ])('refuses a private key of %s with SignatureInputError', (_name, privateKey) => {
    expect(() => signDigest(DIGEST, privateKey)).toThrow(SignatureInputError);
  });
});
