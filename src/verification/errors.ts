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

/**
 * Thrown by the zk setup (reading the graph, circuit compile, powers of tau, Groth16 keys) when a step fails. `details`
 * names what blocked it when that is a part of the model: `{ operator }` (an ONNX op the generator cannot prove) or
 * `{ tensor }` (an initializer or value it cannot use).
 */
export class ProvingSetupError extends Error {
  override readonly name = 'ProvingSetupError';
  readonly code = 'proving_setup_failed';
  readonly retryable = false;
  constructor(message: string, readonly step: string, readonly details: { operator?: string; tensor?: string } & Record<string, unknown> = {}) {
    super(`${step}: ${message}`);
  }
}
