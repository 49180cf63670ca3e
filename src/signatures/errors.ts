// Named errors of the signature concern: what was handed to a curve operation that it cannot take.
import { EngineError } from '../errors';

/**
 * Thrown by signDigest and recoverAddressFromDigest when the digest is not 32 bytes of 0x-hex or the private key is
 * not a valid secp256k1 scalar: a programming or configuration error, so not retryable.
 */
export class SignatureInputError extends EngineError<'signature_input_invalid'> {
  override readonly name = 'SignatureInputError';
  constructor(message: string) {
    super('signature_input_invalid', message);
  }
}

/** Thrown where a port must name a signer and the signature recovers to no key (malformed, or not a signature). */
export class SignatureUnrecoverableError extends EngineError<'signature_unrecoverable'> {
  override readonly name = 'SignatureUnrecoverableError';
  constructor(message: string) {
    super('signature_unrecoverable', message);
  }
}

/**
 * Thrown by a fast local account asked to sign a transaction kind the engine never sends (EIP-4844 blob transactions,
 * EIP-7702 authorization lists): they need signing rules it does not implement, so it refuses rather than guess.
 * Not retryable; sign such a transaction with viem's privateKeyToAccount.
 */
export class UnsupportedTransactionError extends EngineError<'transaction_type_unsupported'> {
  override readonly name = 'UnsupportedTransactionError';
  constructor(message: string) {
    super('transaction_type_unsupported', message);
  }
}
