// Respects the engine's error hierarchy at the Temporal boundary: an error whose `retryable` flag is false becomes a
// non-retryable ApplicationFailure of the same type name, with its stable `code` in the details.
import { ApplicationFailure } from '@temporalio/common';

type ClassifiedError = Error & { retryable?: boolean; code?: string };

export function withRetryClassification<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, run]) => [
      name,
      async (...args: never[]) => {
        try {
          return await run(...args);
        } catch (error) {
          const e = error as ClassifiedError;
          if (e instanceof Error && !(e instanceof ApplicationFailure) && e.retryable === false) {
            throw ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true, details: [{ code: e.code }], cause: e });
          }
          throw error;
        }
      },
    ]),
  ) as T;
}
