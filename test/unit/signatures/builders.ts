// Builders for signature tests: random keys and digests (fast-check), and signatures taken apart and put back together.
import fc from 'fast-check';
import type { Hex } from 'viem';

/** The order n of secp256k1's group and its field prime p. */
export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
export const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

export const word = (value: bigint): string => value.toString(16).padStart(64, '0');
export const hex32 = (value: bigint): Hex => `0x${word(value)}`;

/** 32 random bytes as a digest; any value, including those at or above n (a digest is reduced mod n). */
export const digestArbitrary = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(hex32);
/** A valid private key: a scalar in [1, n), with the edges drawn often. */
export const privateKeyArbitrary = fc
  .oneof(fc.bigInt({ min: 1n, max: N - 1n }), fc.constantFrom(1n, 2n, N - 1n, N - 2n))
  .map(hex32);

export type SignatureParts = { r: bigint; s: bigint; v: number };

export function partsOf(signature: Hex): SignatureParts {
  return {
    r: BigInt(`0x${signature.slice(2, 66)}`),
    s: BigInt(`0x${signature.slice(66, 130)}`),
    v: Number.parseInt(signature.slice(130), 16),
  };
}

/** r‖s‖v as 0x-hex; r and s are written as 32-byte words whatever their value (so n or 2^256-1 can be tried). */
export function buildSignature({ r, s, v }: SignatureParts): Hex {
  return `0x${word(r)}${word(s)}${v.toString(16).padStart(2, '0')}`;
}

/** The same signature with v written as y-parity (0/1) instead of 27/28. */
export const withParityV = (signature: Hex): Hex => {
  const { r, s, v } = partsOf(signature);
  return buildSignature({ r, s, v: v - 27 });
};

/** The other valid signature of the same digest and key (s → n - s, parity flipped): high s when the input was low. */
export const malleated = (signature: Hex): Hex => {
  const { r, s, v } = partsOf(signature);
  return buildSignature({ r, s: N - s, v: v === 27 ? 28 : 27 });
};
