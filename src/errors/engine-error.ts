// The base of every error the engine throws on purpose. Pure (no imports), so workflow code may import and match it.
//
// `name` is the stable class name: Temporal keeps it as the failure type and retry policies match on it.
// `code` is the stable, machine-readable reason (tables per concern list them, e.g. src/payments/errors.ts).
// `retryable` says whether trying again can help; activities/failures.ts turns it into Temporal's `nonRetryable`.
// `details` carries what a reader (or a program) needs to act on the failure.

export type EngineErrorOptions = {
  /** Whether trying again can help; false unless the failure is transient (a service down, a timeout). */
  retryable?: boolean;
  details?: unknown;
  cause?: unknown;
};

export class EngineError<Code extends string = string> extends Error {
  override readonly name: string = 'EngineError';
  readonly retryable: boolean;
  readonly details: unknown;
  constructor(
    readonly code: Code,
    message: string,
    options: EngineErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** Whether `error` is one of the engine's own errors (as opposed to a library's or a programming error). */
export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
