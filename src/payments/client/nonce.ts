// Deterministic EIP-3009 authorization fields for an idempotency key: the same (payer, key, issuedAt) always yields
// the same nonce and validity window, hence (RFC 6979 deterministic ECDSA) the byte-identical signed payment. A retried
// workflow activity re-presents it, and the node answers from its cache instead of charging again.
import { encodePacked, getAddress, keccak256, type Hex } from 'viem';

export const PAYMENT_NONCE_DOMAIN = 'proofpath.payment.v1';
/** validAfter lies this far before issuedAt: tolerates clock skew between caller and chain, as x402's v1 client does. */
export const VALID_AFTER_SKEW_SECONDS = 600;

/** keccak256("proofpath.payment.v1" ‖ payer ‖ idempotencyKey), packed. The tag and the 20-byte payer have fixed
 *  lengths and the key comes last, so the packing is unambiguous. EIP-3009 nonces are arbitrary bytes32 values. */
export function derivePaymentNonce(payer: `0x${string}`, idempotencyKey: string): Hex {
  if (idempotencyKey.length === 0) throw new RangeError('idempotencyKey must not be empty');
  return keccak256(
    encodePacked(['string', 'address', 'string'], [PAYMENT_NONCE_DOMAIN, getAddress(payer), idempotencyKey]),
  );
}

export type ValidityWindow = { validAfter: bigint; validBefore: bigint };

/** Whole seconds since the epoch from a Date, an ISO string or epoch milliseconds. */
export function toUnixSeconds(issuedAt: Date | string | number): number {
  const ms =
    issuedAt instanceof Date ? issuedAt.getTime() : typeof issuedAt === 'string' ? Date.parse(issuedAt) : issuedAt;
  if (!Number.isFinite(ms)) throw new RangeError(`issuedAt ${String(issuedAt)} is not a valid time`);
  return Math.floor(ms / 1000);
}

/** EIP-3009: the authorization is valid for validAfter < block.timestamp < validBefore. */
export function deriveValidityWindow(issuedAtSeconds: number, validForSeconds: number): ValidityWindow {
  return {
    validAfter: BigInt(issuedAtSeconds - VALID_AFTER_SKEW_SECONDS),
    validBefore: BigInt(issuedAtSeconds + validForSeconds),
  };
}
