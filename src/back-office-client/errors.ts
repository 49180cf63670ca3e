// One family of named client errors per back-office system (ERP, TMS), on the engine's error base. Temporal retry
// policies match on `name` (`ErpConflictError`, `TmsNotFoundError`, …); `retryable` says whether trying again can help
// (activities/failures.ts makes the others non-retryable); `code` is the service's stable reason (idempotency_conflict, …).
import { EngineError } from '../errors';

type ErrorArgs = [code: string, message: string, status?: number, details?: unknown];

/** What the transport needs of each kind in a family: a class it can throw. */
export type ClientErrorClass = new (...args: ErrorArgs) => Error;

export function backOfficeErrorFamily<S extends 'Erp' | 'Tms'>(system: S) {
  class BackOfficeError extends EngineError {
    override readonly name: string = `${system}Error`;
    constructor(
      code: string,
      message: string,
      retryable: boolean,
      readonly status?: number,
      details?: unknown,
    ) {
      super(code, message, { retryable, details });
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
    /** 408, 429, 500, 502-504, timeout, connection refused or an unexpected response body: retry with backoff. */
    Unavailable: kind('Unavailable', true),
  };
}
