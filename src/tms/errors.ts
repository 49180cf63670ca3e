// Named TMS client errors. Temporal retry policies match on `name` (kept equal to the class name); `retryable` says
// whether trying again can help; `code` is the service's stable reason (e.g. idempotency_conflict, invalid_transition).

export class TmsError extends Error {
  override readonly name: string = 'TmsError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 409: the decision already tendered with other terms, the transition is not allowed (confirming a retracted
 * tender), the id belongs to another decision, or the Idempotency-Key was reused. */
export class TmsConflictError extends TmsError {
  override readonly name = 'TmsConflictError';
  constructor(code: string, message: string, status: number | undefined = 409, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 400/413: the request does not match the contract; `details.issues` lists the fields. A bug in the caller. */
export class TmsValidationError extends TmsError {
  override readonly name = 'TmsValidationError';
  constructor(code: string, message: string, status: number | undefined = 400, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 404: no such tender (or a wrong base URL: code route_not_found). */
export class TmsNotFoundError extends TmsError {
  override readonly name = 'TmsNotFoundError';
  constructor(code: string, message: string, status: number | undefined = 404, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 5xx, 408, 429, timeout, connection refused or an unexpected response body: retry with backoff. */
export class TmsUnavailableError extends TmsError {
  override readonly name = 'TmsUnavailableError';
  constructor(code: string, message: string, status?: number, details?: unknown) {
    super(code, message, true, status, details);
  }
}

/** For activity options: `retry.nonRetryableErrorTypes`. */
export const TMS_NON_RETRYABLE_ERRORS = ['TmsConflictError', 'TmsValidationError', 'TmsNotFoundError'] as const;
