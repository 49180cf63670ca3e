// Named ERP client errors. Temporal retry policies match on `name` (kept equal to the class name); `retryable` says
// whether trying again can help; `code` is the service's stable reason (e.g. idempotency_conflict, invalid_transition).

export class ErpError extends Error {
  override readonly name: string = 'ErpError';
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

/** 409: the decision already has this effect with other terms, the transition is not allowed (confirming a cancelled
 * order, releasing a consumed hold), the id belongs to another decision, or the Idempotency-Key was reused. */
export class ErpConflictError extends ErpError {
  override readonly name = 'ErpConflictError';
  constructor(code: string, message: string, status: number | undefined = 409, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 400/413: the request does not match the contract; `details.issues` lists the fields. A bug in the caller. */
export class ErpValidationError extends ErpError {
  override readonly name = 'ErpValidationError';
  constructor(code: string, message: string, status: number | undefined = 400, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 404: no such hold or order (or a wrong base URL: code route_not_found). */
export class ErpNotFoundError extends ErpError {
  override readonly name = 'ErpNotFoundError';
  constructor(code: string, message: string, status: number | undefined = 404, details?: unknown) {
    super(code, message, false, status, details);
  }
}

/** 5xx, 408, 429, timeout, connection refused or an unexpected response body: retry with backoff. */
export class ErpUnavailableError extends ErpError {
  override readonly name = 'ErpUnavailableError';
  constructor(code: string, message: string, status?: number, details?: unknown) {
    super(code, message, true, status, details);
  }
}

/** For activity options: `retry.nonRetryableErrorTypes`. */
export const ERP_NON_RETRYABLE_ERRORS = ['ErpConflictError', 'ErpValidationError', 'ErpNotFoundError'] as const;
