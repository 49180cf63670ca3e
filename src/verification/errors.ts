// Named errors of the verification concern: each carries a stable code (see reasons.ts) and whether retrying can help.
import { EngineError } from '../errors';
import type { VerificationReason } from './reasons';

/** Thrown when a check cannot complete; `code` is one of the stable reason codes. */
export class VerificationError extends EngineError<VerificationReason | 'setup_failed'> {
  override readonly name = 'VerificationError';
  declare readonly details: Record<string, unknown>;
  constructor(
    code: VerificationReason | 'setup_failed',
    message: string,
    retryable = false,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { retryable, details });
  }
}

/**
 * Thrown by the zk setup (reading the graph, circuit compile, powers of tau, Groth16 keys) when a step fails. `details`
 * names what blocked it when that is a part of the model: `{ operator }` (an ONNX op the generator cannot prove) or
 * `{ tensor }` (an initializer or value it cannot use).
 */
export class ProvingSetupError extends EngineError<'proving_setup_failed'> {
  override readonly name = 'ProvingSetupError';
  declare readonly details: { step: string; operator?: string; tensor?: string } & Record<string, unknown>;
  constructor(
    message: string,
    readonly step: string,
    details: { operator?: string; tensor?: string } & Record<string, unknown> = {},
  ) {
    super('proving_setup_failed', `${step}: ${message}`, { details: { step, ...details } });
  }
}
