// Retries an async step with exponential backoff while the outcome is retryable, within a deadline.
export type RetryOptions = {
  attempts: number;
  baseDelayMs: number;
  /** Stop retrying after this time (ms since epoch), e.g. the authorization's validBefore. */
  deadlineMs?: number;
  onAttempt?: (attempt: number, outcome: unknown) => void;
};

export type Attempt<T> = { done: true; value: T } | { done: false; retryable: boolean; outcome: unknown };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Runs `step` until it reports done, a non-retryable outcome, or the attempts/deadline run out; returns the last. */
export async function retryWithBackoff<T>(
  step: (attempt: number) => Promise<Attempt<T>>,
  options: RetryOptions,
): Promise<Attempt<T> & { attempts: number }> {
  let last: Attempt<T> = { done: false, retryable: false, outcome: 'not attempted' };
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    // A thrown error is retried unless it says it cannot heal (`retryable: false`, e.g. NodeNotRegisteredError).
    last = await step(attempt).catch((error: unknown): Attempt<T> => ({
      done: false,
      retryable: (error as { retryable?: unknown } | null)?.retryable !== false,
      outcome: error,
    }));
    options.onAttempt?.(attempt, last.done ? last.value : last.outcome);
    if (last.done || !last.retryable || attempt === options.attempts) return { ...last, attempts: attempt };
    const delay = options.baseDelayMs * 2 ** (attempt - 1);
    if (options.deadlineMs !== undefined && Date.now() + delay >= options.deadlineMs)
      return { ...last, attempts: attempt };
    await sleep(delay);
  }
  return { ...last, attempts: options.attempts };
}
