// One family of named client errors per back-office system (ERP, TMS). Temporal retry policies match on `name`
// (`ErpConflictError`, `TmsNotFoundError`, …); `retryable` says whether trying again can help; `code` is the service's
// stable reason (idempotency_conflict, invalid_transition, …).

type ErrorArgs = [code: string, message: string, status?: number, details?: unknown];

/** What the transport needs of each kind in a family: a class it can throw. */
export type ClientErrorClass = new (...args: ErrorArgs) => Error;

export function backOfficeErrorFamily<S extends 'Erp' | 'Tms'>(system: S) {
  class BackOfficeError extends Error {
    override readonly name: string = `${system}Error`;
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
  const kind = <K extends string>(suffix: K, retryable: boolean, defaultStatus?: number) => {
    const named = class extends BackOfficeError {
      override readonly name: `${S}${K}Error` = `${system}${suffix}Error`;
      constructor(...[code, message, status = defaultStatus, details]: ErrorArgs) {
        super(code, message, retryable, status, details);
      }
    };
    // The constructor's own name too, so stack traces and `ErrorClass.name` read like a hand-written class.
    Object.defineProperty(named, 'name', { value: `${system}${suffix}Error` });
    return named;
  };
  Object.defineProperty(BackOfficeError, 'name', { value: `${system}Error` });
  return {
    Base: BackOfficeError,
    /** 409: the effect exists with other terms, the transition is not allowed, or the Idempotency-Key was reused. */
    Conflict: kind('Conflict', false, 409),
    /** 400/413: the request does not match the contract; `details.issues` lists the fields. A bug in the caller. */
    Validation: kind('Validation', false, 400),
    /** 404: no such record (or a wrong base URL: code route_not_found). */
    NotFound: kind('NotFound', false, 404),
    /** 5xx, 408, 429, timeout, connection refused or an unexpected response body: retry with backoff. */
    Unavailable: kind('Unavailable', true),
    /** For activity options: `retry.nonRetryableErrorTypes`. */
    nonRetryable: [`${system}ConflictError`, `${system}ValidationError`, `${system}NotFoundError`] as const,
  };
}
