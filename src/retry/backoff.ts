// Retries an async step with exponential backoff while its outcome is retryable: within a number of attempts, a
// deadline, or until an abort signal fires. One implementation for every retry loop of the engine (settlement,
// commitments, the verifier's reads of a node, verdict publishing).
import { setTimeout as wait } from 'node:timers/promises';

export type RetryOptions = {
  /** Attempts in all (the first included); unbounded when omitted, so a deadline or a signal must end it. */
  attempts?: number;
  baseDelayMs: number;
  /** Backoff never grows beyond this (default: unbounded doubling). */
  maxDelayMs?: number;
  /** Stop retrying after this time (ms since epoch), e.g. an authorization's validBefore. */
  deadlineMs?: number;
  /** Stops waiting at once: the last outcome is returned (a process shutting down, a check's own timeout). */
  signal?: AbortSignal;
  /** After each attempt that is not done; `retryInMs` is undefined when no further attempt follows. */
  onAttempt?: (attempt: number, outcome: unknown, retryInMs?: number) => void;
};

export type Attempt<T> = { done: true; value: T } | { done: false; retryable: boolean; outcome: unknown };

/** A timer that does not hold the process open. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  wait(ms, undefined, { ref: false, signal }).catch(() => undefined);

/** A thrown error is retried unless it says it cannot heal (`retryable: false`, e.g. NodeNotRegisteredError). */
export const isRetryableError = (error: unknown) => (error as { retryable?: unknown } | null)?.retryable !== false;

/** Runs `step` until it reports done, a non-retryable outcome, or the attempts/deadline/signal end it; returns the last. */
export async function retryWithBackoff<T>(
  step: (attempt: number) => Promise<Attempt<T>>,
  options: RetryOptions,
): Promise<Attempt<T> & { attempts: number }> {
  const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt += 1) {
    const last: Attempt<T> = await step(attempt).catch((error: unknown): Attempt<T> => ({
      done: false,
      retryable: isRetryableError(error),
      outcome: error,
    }));
    if (last.done) return { ...last, attempts: attempt };
    const delay = Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs ?? Number.POSITIVE_INFINITY);
    const again =
      last.retryable &&
      attempt < attempts &&
      !options.signal?.aborted &&
      (options.deadlineMs === undefined || Date.now() + delay < options.deadlineMs);
    options.onAttempt?.(attempt, last.outcome, again ? delay : undefined);
    if (!again) return { ...last, attempts: attempt };
    await sleep(delay, options.signal);
    if (options.signal?.aborted) return { ...last, attempts: attempt };
  }
}

/** `retryWithBackoff` for a step that throws when it fails: resolves with its value or throws the last error. */
export async function retryThrowing<T>(step: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const result = await retryWithBackoff(
    async (attempt) => ({ done: true as const, value: await step(attempt) }),
    options,
  );
  if (result.done) return result.value;
  throw result.outcome;
}
