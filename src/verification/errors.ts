// Named errors of the verification concern: each carries a stable code (see reasons.ts) and whether retrying can help.
import type { VerificationReason } from './reasons';

/** Thrown when a check cannot complete; `code` is one of the stable reason codes. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(
    readonly code: VerificationReason | 'setup_failed',
    message: string,
    readonly retryable = false,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Thrown by the zk setup (circuit compile, powers of tau, Groth16 keys) when a step fails. */
export class ProvingSetupError extends Error {
  override readonly name = 'ProvingSetupError';
  readonly code = 'proving_setup_failed';
  constructor(message: string, readonly step: string) {
    super(`${step}: ${message}`);
  }
}
