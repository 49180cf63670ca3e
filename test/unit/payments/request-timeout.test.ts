// The paying client gives up on a node that does not answer within its request timeout, with a retryable error (the
// retry presents the same payment), and stops at once when its caller (the activity) is cancelled.
import { privateKeyToAccount } from 'viem/accounts';
import { anvilAccounts } from '../../../src/config';
import { createPayingClient, createSpendLedger, InferenceRequestError } from '../../../src/payments';

/** A node that accepts the request and never answers, until the request's signal aborts it. */
const hangingNode = (async (_url: string, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) =>
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
  )) as typeof fetch;

function client(requestTimeoutMs: number) {
  const signer = privateKeyToAccount(anvilAccounts()[5]!.privateKey);
  const ledger = createSpendLedger({ allowedAssets: [], maxPerPayment: 10n ** 6n, dailyBudget: 10n ** 9n });
  return createPayingClient({ signer, network: 'eip155:31337', ledger, fetch: hangingNode, requestTimeoutMs });
}

const params = {
  nodeUrl: 'http://node.invalid',
  modelId: 'm',
  rows: [[1]],
  idempotencyKey: 'decision-1/1/step',
  issuedAt: '2026-03-01T12:00:00Z',
};

it('fails a request the node does not answer in time as a retryable node_timeout', async () => {
  const failure = await client(50)
    .payAndInfer(params)
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(InferenceRequestError);
  expect(failure).toMatchObject({ code: 'node_timeout', retryable: true, status: 504 });
});

it('stops at once, with the caller’s reason, when the caller cancels', async () => {
  const cancel = new AbortController();
  const pending = client(60_000).payAndInfer({ ...params, signal: cancel.signal });
  cancel.abort(new Error('activity cancelled'));
  await expect(pending).rejects.toThrow('activity cancelled');
});
