// The activities a decision calls, proxied with their retry policies: the main steps (bounded retries for paying),
// and compensations, which must eventually succeed.
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

// Which failures are final is decided where they happen: activities turn an engine error with `retryable: false` into a
// non-retryable ApplicationFailure (activities/failures.ts), so no list of error names is kept here.
export const baseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
};

export const activities = proxyActivities<Activities>(baseActivityOptions);

/** Bounded: with no node able to answer, the decision fails (and says so) instead of paying forever. */
export const PAY_AND_INFER_DEADLINE = '10 minutes';

/** Compensations must eventually succeed: retry without a limit on attempts, with a long backoff ceiling. */
export const compensations = proxyActivities<Activities>({
  ...baseActivityOptions,
  retry: { ...baseActivityOptions.retry, maximumInterval: '1 minute' },
});
