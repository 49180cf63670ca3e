// The one place where the engine's errors meet Temporal: every EngineError an activity throws becomes an
// ApplicationFailure of the same type name (retry policies match on it), non-retryable exactly when the error says
// retrying cannot help, with its stable `code` and `details` in the failure details. Anything else (a library's or a
// programming error) passes unchanged and is retried by the activity's retry policy.
import { ApplicationFailure } from '@temporalio/common';
import { isEngineError, type EngineError } from '../src/errors';

/** The failure Temporal records for an engine error; `details[0]` is `{ code, details }`. */
export function toApplicationFailure(error: EngineError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    nonRetryable: !error.retryable,
    details: [{ code: error.code, details: error.details }],
    cause: error,
  });
}

export function withRetryClassification<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, run]) => [
      name,
      async (...args: never[]) => {
        try {
          return await run(...args);
        } catch (error) {
          throw isEngineError(error) ? toApplicationFailure(error) : error;
        }
      },
    ]),
  ) as T;
}
