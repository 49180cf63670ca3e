// A verifier that refuses a job for good (a 4xx a retry cannot heal) fails the requestVerification activity at once,
// non-retryably and saying why, instead of Temporal retrying it until someone notices; only an absent or busy
// verifier (isTransientHttpStatus) is asked again.
import { ApplicationFailure } from '@temporalio/common';
import { withRetryClassification } from '../../../activities/failures';
import { createVerificationActivities } from '../../../activities/verification';
import { createHttpVerificationRequester, type NodeAccountability } from '../../../src/decisions/verification-ports';

const VERIFIER = 'http://verifier.test';
const job = { decisionId: 'd-1', receiptId: 'rcpt-1', nodeUrl: 'http://node.test', rows: [[1]], outputs: [[1]] };

/** The worker's requestVerification activity, as Temporal runs it, against a verifier that answers `response`. */
function requestVerificationAgainst(response: () => Response) {
  const verifier = createHttpVerificationRequester(VERIFIER, async () => ({}), (async () =>
    response()) as typeof fetch);
  const activities = withRetryClassification(
    createVerificationActivities({ verifier, accountability: {} as NodeAccountability }),
  );
  return activities.requestVerification(job).catch((e: unknown) => e);
}

it.each([
  [400, 'job_invalid', 'rows.0: expected array'],
  [403, 'job_submitter_unknown', 'signer 0xabc is not an allowed job submitter (VERIFIER_JOB_SUBMITTERS)'],
  [404, 'not_found', 'POST /v1/jobs'],
  [409, 'job_conflict', 'another job for this receipt'],
  [413, 'body_too_large', 'the body exceeds 1048576 bytes'],
  [422, 'job_unprocessable', 'no such model'],
])('fails the activity for good on a %i, with the verifier’s reason', async (status, reason, message) => {
  const failure = await requestVerificationAgainst(() => Response.json({ reason, message }, { status }));
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({
    type: 'VerificationJobRefusedError',
    nonRetryable: true,
    details: [{ code: reason, details: { status } }],
  });
  expect((failure as Error).message).toBe(
    `verifier at ${VERIFIER} refused the job for receipt rcpt-1 (${status} ${reason}): ${message}`,
  );
});

it('says what answered when the refusal is not the verifier’s own (another service at that URL)', async () => {
  const failure = await requestVerificationAgainst(
    () => new Response('<html>404 Not Found</html>', { status: 404, headers: { 'content-type': 'text/html' } }),
  );
  expect(failure).toMatchObject({
    type: 'VerificationJobRefusedError',
    nonRetryable: true,
    details: [{ code: 'verification_job_refused' }],
    message: `verifier at ${VERIFIER} refused the job for receipt rcpt-1 (404): <html>404 Not Found</html>`,
  });
});

it.each([429, 503])('still retries a verifier that is only away or busy (%i)', async (status) => {
  const failure = await requestVerificationAgainst(() => Response.json({ reason: 'rate_limited' }, { status }));
  expect(failure).toMatchObject({ type: 'VerifierUnavailableError', nonRetryable: false });
});

it('retries a job the verifier found stale: the next attempt signs it again with a fresh timestamp', async () => {
  const failure = await requestVerificationAgainst(() =>
    Response.json(
      { reason: 'job_stale', message: "the job timestamp is not within 300000 ms of the verifier's clock" },
      { status: 401 },
    ),
  );
  expect(failure).toMatchObject({ type: 'VerifierUnavailableError', nonRetryable: false });
});

it('accepts a job the verifier took (202)', async () => {
  await expect(
    requestVerificationAgainst(() => Response.json({ receiptId: 'rcpt-1', status: 'pending' }, { status: 202 })),
  ).resolves.toEqual({ accepted: true });
});
