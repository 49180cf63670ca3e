// The workflow's non-retryable list covers every non-retryable ERP/TMS error, and flagged errors stop retries.
import { ApplicationFailure } from '@temporalio/common';
import { withRetryClassification } from '../../../activities/failures';
import { ERP_NON_RETRYABLE_ERRORS, ErpConflictError, ErpUnavailableError } from '../../../src/erp';
import { TMS_NON_RETRYABLE_ERRORS } from '../../../src/tms';
import { NON_RETRYABLE } from '../../../workflows/activity-errors';

it('lists every non-retryable ERP and TMS error type', () => {
  expect(NON_RETRYABLE).toEqual(expect.arrayContaining([...ERP_NON_RETRYABLE_ERRORS, ...TMS_NON_RETRYABLE_ERRORS]));
});

it('turns an error flagged retryable=false into a non-retryable failure of the same type, and leaves others alone', async () => {
  const activities = withRetryClassification({
    conflict: async () => {
      throw new ErpConflictError('idempotency_conflict', 'another order exists', 409);
    },
    outage: async () => {
      throw new ErpUnavailableError('erp_unavailable', 'down', 503);
    },
  });
  const conflict = await activities.conflict().catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(ApplicationFailure);
  expect(conflict).toMatchObject({ type: 'ErpConflictError', nonRetryable: true });
  await expect(activities.outage()).rejects.toBeInstanceOf(ErpUnavailableError);
});
