// Activities hand the engine's errors to Temporal in one place: the failure keeps the class name as its type, is
// non-retryable exactly when the error says retrying cannot help, and carries the stable code.
import { ApplicationFailure } from '@temporalio/common';
import { withRetryClassification } from '../../../activities/failures';
import { ErpConflictError, ErpUnavailableError } from '../../../src/erp';
import { ModelNotFoundError } from '../../../src/models';
import { NoInferenceNodeError } from '../../../src/decisions/node-directory';

const failureOf = (thrown: unknown) =>
  withRetryClassification({
    run: async () => {
      throw thrown;
    },
  })
    .run()
    .catch((e: unknown) => e);

it('turns a non-retryable engine error into a non-retryable failure of the same type, with its code', async () => {
  const failure = await failureOf(
    new ErpConflictError('idempotency_conflict', 'another order exists', 409, { poId: 'po-1' }),
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'ErpConflictError',
    nonRetryable: true,
    message: 'another order exists',
    details: [{ code: 'idempotency_conflict', details: { poId: 'po-1' } }],
  });
});

it('keeps a retryable engine error retryable, still typed by its class name', async () => {
  expect(await failureOf(new ErpUnavailableError('erp_unavailable', 'down', 503))).toMatchObject({
    type: 'ErpUnavailableError',
    nonRetryable: false,
  });
  expect(await failureOf(new NoInferenceNodeError('no node serves m'))).toMatchObject({
    type: 'NoInferenceNodeError',
    nonRetryable: false,
    details: [{ code: 'no_inference_node' }],
  });
});

it('names subclasses of a shared base by their own class', async () => {
  expect(await failureOf(new ModelNotFoundError('m'))).toMatchObject({
    type: 'ModelNotFoundError',
    nonRetryable: true,
    details: [{ code: 'model_not_found' }],
  });
});

it('leaves errors that are not the engine’s own to the retry policy', async () => {
  const plain = new TypeError('boom');
  expect(await failureOf(plain)).toBe(plain);
});
