// One rule for "the service is only away, ask again": every HTTP client of the engine retries exactly the statuses
// isTransientHttpStatus names (408, 429, 500, 502-504) and treats every other refusal as final.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpVerificationRequester, VerifierUnavailableError } from '../../../src/decisions/verification-ports';
import { createErpClient } from '../../../src/erp';
import { InferenceRequestError } from '../../../src/payments';
import { isTransientHttpStatus } from '../../../src/retry';
import { createNodeClient } from '../../../src/verification/service/node-client';
import { buildReserve } from '../erp/builders';

const TRANSIENT = [408, 429, 500, 502, 503, 504];
const FINAL = [400, 401, 403, 404, 409, 413, 422, 501, 505, 507];
const ALL = [...TRANSIENT, ...FINAL];

const answering = (status: number) =>
  (async () =>
    new Response(JSON.stringify({ error: { code: `refused_${status}`, message: 'refused' } }), {
      status,
      headers: { 'content-type': 'application/json' },
    })) as unknown as typeof fetch;

it('names 408, 429, 500 and 502-504 transient and nothing else', () => {
  expect(TRANSIENT.every(isTransientHttpStatus)).toBe(true);
  expect(FINAL.filter(isTransientHttpStatus)).toEqual([]);
});

it.each(ALL)('the ERP client retries a %i exactly when it is transient', async (status) => {
  const error = await createErpClient({ baseUrl: 'http://erp.test', fetch: answering(status) })
    .reservePurchaseOrder(buildReserve())
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ status, retryable: isTransientHttpStatus(status) });
  expect((error as Error).name === 'ErpUnavailableError').toBe(isTransientHttpStatus(status));
});

it.each(ALL)('a node answering %i to a paid request is retried exactly when it is transient', (status) => {
  // A node's rate limiter answers 429 rate_limited with Retry-After: the same payment is presented again later.
  expect(new InferenceRequestError(`http_${status}`, 'refused', status).retryable).toBe(isTransientHttpStatus(status));
});

it.each(ALL)('a verifier answering %i to a job is "unavailable" exactly when it is transient', async (status) => {
  const requester = createHttpVerificationRequester('http://verifier.test', async () => ({}), answering(status));
  const error = await requester
    .submit({ decisionId: 'd-1', receiptId: 'r-1', nodeUrl: 'http://node.test', rows: [[1]], outputs: [[1]] })
    .catch((e: unknown) => e);
  expect(error instanceof VerifierUnavailableError).toBe(isTransientHttpStatus(status));
});

describe('the verifier reading a node', () => {
  let status = 200;
  const server = http.createServer((_req, res) => res.writeHead(status).end('{}'));
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(ALL)('asks again after a %i exactly when it is transient', async (answer) => {
    status = answer;
    const error = await createNodeClient(url)
      .receipt('rcpt-1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'receipt_unavailable', retryable: isTransientHttpStatus(answer) });
  });
});
