// recoverAddressFromDigest names the signer viem's recoverAddress names, for every signature viem accepts, and refuses
// (undefined, never a throw) every signature viem refuses.
import { secp256k1 } from '@noble/curves/secp256k1';
import fc from 'fast-check';
import { recoverAddress, recoverMessageAddress, recoverTypedDataAddress, type Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import {
  recoverAddressFromDigest,
  recoverAddressFromMessage,
  recoverAddressFromTypedData,
  SignatureInputError,
} from '../../../src/signatures';
import {
  buildSignature,
  digestArbitrary,
  hex32,
  malleated,
  N,
  P,
  partsOf,
  privateKeyArbitrary,
  withParityV,
} from './builders';

const KEY = hex32(0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318n);
const SIGNER = privateKeyToAccount(KEY).address;
const DIGEST = hex32(0xabcdefn);

/** viem's answer: the address, or undefined where it throws. */
const viemRecovers = (hash: Hex, signature: Hex) => recoverAddress({ hash, signature }).catch(() => undefined);

/** The smallest x below p that is no curve point's x coordinate: an r that cannot be recovered from. */
function notAnXCoordinate(): bigint {
  for (let x = 1n; ; x++) {
    try {
      secp256k1.Point.fromHex(`02${x.toString(16).padStart(64, '0')}`);
    } catch {
      return x;
    }
  }
}

describe('recoverAddressFromDigest', () => {
  it('names the signer viem names, with v as 27/28, as 0/1 and with high s, over random keys and digests', async () => {
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, digestArbitrary, async (privateKey, digest) => {
        const signer = privateKeyToAccount(privateKey).address;
        const signature = await sign({ hash: digest, privateKey, to: 'hex' });
        for (const form of [
          signature,
          withParityV(signature),
          malleated(signature),
          withParityV(malleated(signature)),
        ]) {
          const recovered = recoverAddressFromDigest(digest, form);
          expect(recovered).toBe(signer);
          expect(recovered).toBe(await recoverAddress({ hash: digest, signature: form }));
        }
      }),
      { numRuns: 100, seed: 21 },
    );
  });

  it('names another address for the same signature over another digest', () => {
    const signature = buildSignatureOf(DIGEST);
    const other = recoverAddressFromDigest(hex32(0xabcdeen), signature);
    expect(other).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(other).not.toBe(SIGNER);
  });

  it('agrees with viem on arbitrary r, s and v: the same address, or both refuse', async () => {
    const scalar = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      fc.constantFrom(0n, 1n, N - 1n, N, N + 1n, P - 1n, P, 2n ** 256n - 1n),
    );
    const v = fc.oneof(fc.constantFrom(0, 1, 27, 28), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(digestArbitrary, scalar, scalar, v, async (digest, r, s, recovery) => {
        const signature = buildSignature({ r, s, v: recovery });
        expect(recoverAddressFromDigest(digest, signature)).toBe(await viemRecovers(digest, signature));
      }),
      { numRuns: 500, seed: 22 },
    );
  });

  const valid = () => buildSignatureOf(DIGEST);
  const mutate = (change: (parts: ReturnType<typeof partsOf>) => Partial<ReturnType<typeof partsOf>>) => () => {
    const parts = partsOf(valid());
    return buildSignature({ ...parts, ...change(parts) });
  };
  it.each<[string, () => string]>([
    ['64 bytes (no v)', () => valid().slice(0, 130)],
    ['66 bytes', () => `${valid()}00`],
    ['no 0x prefix', () => valid().slice(2)],
    ['a non-hex digit', () => `${valid().slice(0, 131)}g`],
    ['empty', () => '0x'],
    ['v = 2', mutate(() => ({ v: 2 }))],
    ['v = 26', mutate(() => ({ v: 26 }))],
    ['v = 29', mutate(() => ({ v: 29 }))],
    ['v = 37 (EIP-155)', mutate(() => ({ v: 37 }))],
    ['v = 255', mutate(() => ({ v: 255 }))],
    ['r = 0', mutate(() => ({ r: 0n }))],
    ['s = 0', mutate(() => ({ s: 0n }))],
    ['r = n', mutate(() => ({ r: N }))],
    ['s = n', mutate(() => ({ s: N }))],
    ['r = 2^256 - 1', mutate(() => ({ r: 2n ** 256n - 1n }))],
    ['s = 2^256 - 1', mutate(() => ({ s: 2n ** 256n - 1n }))],
    ['r not the x of any curve point', mutate(() => ({ r: notAnXCoordinate() }))],
  ])('refuses a signature with %s, as viem does', async (_name, signature) => {
    const bytes = signature();
    expect(recoverAddressFromDigest(DIGEST, bytes)).toBeUndefined();
    await expect(recoverAddress({ hash: DIGEST, signature: bytes as Hex })).rejects.toThrow();
  });

  it('refuses 129 hex digits, which viem reads with v from the last nibble (stricter than viem)', async () => {
    // viem sizes hex by rounding up, so r‖s‖"1" passes its 65-byte check and v reads as 1: a v = 28 signature with its
    // last digit dropped still recovers the signer there. No caller sends such a thing; refusing it loses nothing.
    const signature = buildSignatureOf(DIGEST, 28);
    expect(recoverAddressFromDigest(DIGEST, signature)).toBe(SIGNER);
    expect(recoverAddressFromDigest(DIGEST, signature.slice(0, 131))).toBeUndefined();
    await expect(recoverAddress({ hash: DIGEST, signature: signature.slice(0, 131) as Hex })).resolves.toBe(SIGNER);
  });

  it('refuses a signature that recovers to the point at infinity, as viem does', async () => {
    // With R = 1·G, s = 1 and digest 1: s·R = h·G, so the recovered key (sR - hG)/r is the point at infinity.
    const G = secp256k1.Point.BASE;
    const signature = buildSignature({ r: G.x, s: 1n, v: G.y % 2n === 0n ? 27 : 28 });
    expect(recoverAddressFromDigest(hex32(1n), signature)).toBeUndefined();
    await expect(recoverAddress({ hash: hex32(1n), signature })).rejects.toThrow();
    // The other parity is a genuine recovery: the test above fails for the infinity, not for the bytes.
    expect(recoverAddressFromDigest(hex32(1n), withFlippedV(signature))).toBeDefined();
  });

  it.each<[string, string]>([
    ['31 bytes', `0x${'ab'.repeat(31)}`],
    ['no 0x prefix', 'ab'.repeat(32)],
    ['a non-hex digit', `0x${'ab'.repeat(31)}zz`],
  ])('throws SignatureInputError for a digest of %s (a caller bug, not a bad signature)', (_name, digest) => {
    expect(() => recoverAddressFromDigest(digest as Hex, buildSignatureOf(DIGEST))).toThrow(SignatureInputError);
  });
});

describe('recoverAddressFromMessage', () => {
  it('names the signer viem’s recoverMessageAddress names (EIP-191)', async () => {
    await fc.assert(
      fc.asyncProperty(privateKeyArbitrary, fc.string({ maxLength: 300 }), async (privateKey, message) => {
        const signature = await privateKeyToAccount(privateKey).signMessage({ message });
        const recovered = recoverAddressFromMessage(message, signature);
        expect(recovered).toBe(privateKeyToAccount(privateKey).address);
        expect(recovered).toBe(await recoverMessageAddress({ message, signature }));
        expect(recoverAddressFromMessage(`${message}.`, signature)).not.toBe(recovered);
      }),
      { numRuns: 50, seed: 23 },
    );
  });
});

describe('recoverAddressFromTypedData', () => {
  const typed = (amount: bigint) => ({
    domain: { name: 'proofpath.test', version: '1', chainId: 31337 },
    types: { Charge: [{ name: 'amount', type: 'uint8' }] },
    primaryType: 'Charge' as const,
    message: { amount },
  });

  it('names the signer viem’s recoverTypedDataAddress names (EIP-712)', async () => {
    const signature = await privateKeyToAccount(KEY).signTypedData(typed(7n));
    expect(recoverAddressFromTypedData(typed(7n), signature)).toBe(SIGNER);
    expect(await recoverTypedDataAddress({ ...typed(7n), signature })).toBe(SIGNER);
    expect(recoverAddressFromTypedData(typed(8n), signature)).not.toBe(SIGNER);
  });

  it('is undefined for typed data that cannot be encoded (viem rejects it)', async () => {
    const signature = await privateKeyToAccount(KEY).signTypedData(typed(7n));
    expect(recoverAddressFromTypedData(typed(300n), signature)).toBeUndefined();
    await expect(recoverTypedDataAddress({ ...typed(300n), signature })).rejects.toThrow();
  });
});

/** KEY's signature of `digest`; with `v`, written with that v whatever the recovery id (28 ↔ 27 via n - s). */
function buildSignatureOf(digest: Hex, v?: 27 | 28): Hex {
  const { r, s, recovery } = secp256k1.sign(digest.slice(2), KEY.slice(2), { lowS: true });
  const signature = buildSignature({ r, s, v: 27 + (recovery ?? 0) });
  return v === undefined || v === partsOf(signature).v ? signature : malleated(signature);
}

function withFlippedV(signature: Hex): Hex {
  const parts = partsOf(signature);
  return buildSignature({ ...parts, v: parts.v === 27 ? 28 : 27 });
}
