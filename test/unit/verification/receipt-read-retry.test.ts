// The verifier reads a receipt again while the node is only away (restarting), and fails at once when the node says no.
import { VerificationError } from '../../../src/verification/errors';
import { verifyReceiptJob, type VerificationDeps } from '../../../src/verification/service/verify-receipt-job';
import type { NodeClient } from '../../../src/verification/service/node-client';
import type { VerificationJob } from '../../../src/contracts';

const job = { receiptId: 'rcpt-1', nodeUrl: 'http://node.invalid', decisionId: 'd-1' } as unknown as VerificationJob;

function depsWith(receipt: NodeClient['receipt']): VerificationDeps {
  const unused = () => Promise.reject(new Error('not reached'));
  return {
    nodeClient: () => ({ receipt, attestation: unused, keyAttestation: unused, proof: unused }),
    policy: unused,
    provingKeys: unused,
    runtime: {} as VerificationDeps['runtime'],
    timeouts: { attestationMs: 1_200, proofMs: 1_000, reexecutionMs: 1_000, proofPollMs: 100, receiptMs: 100 },
  };
}

it('retries a node that refuses connections until the attestation timeout, then fails receipt_unavailable', async () => {
  const receipt = jest.fn<ReturnType<NodeClient['receipt']>, Parameters<NodeClient['receipt']>>(() =>
    Promise.reject(new TypeError('fetch failed')),
  );
  const verdict = await verifyReceiptJob(job, depsWith(receipt));
  expect(receipt.mock.calls.length).toBeGreaterThanOrEqual(3);
  expect(verdict.verified).toBe(false);
  expect(verdict.checks.attestation).toMatchObject({ status: 'fail', reason: 'receipt_unavailable' });
});

it('fails at once when the node answers that it has no such receipt', async () => {
  const receipt = jest.fn<ReturnType<NodeClient['receipt']>, Parameters<NodeClient['receipt']>>(() =>
    Promise.reject(new VerificationError('receipt_unavailable', 'GET /v1/receipts/rcpt-1 answered 404', false)),
  );
  const verdict = await verifyReceiptJob(job, depsWith(receipt));
  expect(receipt).toHaveBeenCalledTimes(1);
  expect(verdict.checks.proof).toMatchObject({ status: 'fail', reason: 'receipt_unavailable' });
});
