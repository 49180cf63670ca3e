// The verifier asks a node again while it is only away (restarting behind a proxy: 502, connection refused) — for the
// receipt, the attestation document and the proof — and fails at once when the node says no.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerificationError } from '../../../src/verification/errors';
import { recoverOncePerReceipt } from '../../../src/verification/receipt';
import { verifyReceiptJob, type VerificationDeps } from '../../../src/verification/service/verify-receipt-job';
import { createNodeClient, type NodeClient } from '../../../src/verification/service/node-client';
import type { Receipt, VerificationJob } from '../../../src/contracts';

const job = { receiptId: 'rcpt-1', nodeUrl: 'http://node.invalid', decisionId: 'd-1' } as unknown as VerificationJob;
const receipt = { receiptId: 'rcpt-1', modelId: 'm'.repeat(64), signer: '0x' + '1'.repeat(40) } as unknown as Receipt;
const away = () => new VerificationError('receipt_unavailable', 'GET answered 502', true);

function depsWith(client: Partial<NodeClient>): VerificationDeps {
  const unused = () => Promise.reject(new Error('not reached'));
  return {
    nodeClient: () => ({ receipt: unused, attestation: unused, keyAttestation: unused, proof: unused, ...client }),
    policy: () => Promise.resolve({} as Awaited<ReturnType<VerificationDeps['policy']>>),
    provingKeys: unused,
    recoverSigner: () => Promise.resolve(receipt.signer as `0x${string}`),
    runtime: {} as VerificationDeps['runtime'],
    timeouts: { attestationMs: 1_200, proofMs: 1_000, reexecutionMs: 1_000, proofPollMs: 50, receiptMs: 100 },
  };
}

/** A node client whose call fails as "away" `times` times, then gives `then`. */
function awayThen<T>(times: number, then: () => T) {
  return jest.fn(() => (times-- > 0 ? Promise.reject(away()) : Promise.resolve(then())));
}

it('retries a node that refuses connections until the attestation timeout, then fails receipt_unavailable', async () => {
  const read = jest.fn(() => Promise.reject(new TypeError('fetch failed')));
  const verdict = await verifyReceiptJob(job, depsWith({ receipt: read }));
  expect(read.mock.calls.length).toBeGreaterThanOrEqual(3);
  expect(verdict.verified).toBe(false);
  expect(verdict.checks.attestation).toMatchObject({ status: 'fail', reason: 'receipt_unavailable' });
});

it('fails at once when the node answers that it has no such receipt', async () => {
  const read = jest.fn(() =>
    Promise.reject(new VerificationError('receipt_unavailable', 'GET /v1/receipts/rcpt-1 answered 404', false)),
  );
  const verdict = await verifyReceiptJob(job, depsWith({ receipt: read }));
  expect(read).toHaveBeenCalledTimes(1);
  expect(verdict.checks.proof).toMatchObject({ status: 'fail', reason: 'receipt_unavailable' });
});

it('polls the proof again while the node is away instead of failing the proof check', async () => {
  const proof = awayThen(2, () => ({ status: 'failed' as const, reason: 'proof_failed', message: 'prover crashed' }));
  const verdict = await verifyReceiptJob(
    job,
    depsWith({ receipt: () => Promise.resolve(receipt), attestation: () => Promise.reject(away()), proof }),
  );
  expect(proof).toHaveBeenCalledTimes(3);
  // The node's own answer decides, not its absence.
  expect(verdict.checks.proof).toMatchObject({ status: 'fail', reason: 'proof_unavailable' });
});

it('asks for the attestation document again while the node is away, within the attestation timeout', async () => {
  const attestation = awayThen(2, () => new Uint8Array([1, 2, 3]));
  const verdict = await verifyReceiptJob(
    job,
    depsWith({ receipt: () => Promise.resolve(receipt), attestation, proof: () => Promise.reject(new Error('off')) }),
  );
  expect(attestation).toHaveBeenCalledTimes(3);
  // The document arrived; it is checked (and this one is garbage), so the failure is the document's, not the node's.
  expect(verdict.checks.attestation).toMatchObject({ status: 'fail', reason: 'attestation_malformed' });
});

it('times the attestation check out when the node stays away', async () => {
  const attestation = jest.fn(() => Promise.reject(away()));
  const verdict = await verifyReceiptJob(
    job,
    depsWith({ receipt: () => Promise.resolve(receipt), attestation, proof: () => Promise.reject(new Error('off')) }),
  );
  expect(attestation.mock.calls.length).toBeGreaterThanOrEqual(2);
  expect(verdict.checks.attestation).toMatchObject({ status: 'timeout', reason: 'check_timeout' });
});

describe('node client', () => {
  let server: http.Server;
  let base: string;
  let answer: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(answer, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([502, 503, 504, 429, 408])(
    'reports %i as a node that is away (retryable), with the read’s reason',
    async (status) => {
      answer = status;
      const client = createNodeClient(base);
      await expect(client.receipt('r')).rejects.toMatchObject({ code: 'receipt_unavailable', retryable: true });
      await expect(client.attestation(new Uint8Array(32))).rejects.toMatchObject({
        code: 'attestation_unavailable',
        retryable: true,
      });
      await expect(client.proof('r')).rejects.toMatchObject({ code: 'proof_unavailable', retryable: true });
    },
  );

  it('reports a missing receipt (404) as final', async () => {
    answer = 404;
    await expect(createNodeClient(base).receipt('r')).rejects.toMatchObject({
      code: 'receipt_unavailable',
      retryable: false,
    });
  });

  it('reports a node that refuses connections as away', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createNodeClient(`http://127.0.0.1:${port}`).receipt('r')).rejects.toMatchObject({
      code: 'receipt_unavailable',
      retryable: true,
    });
  });
});

describe('node client, proof endpoint', () => {
  let server: http.Server;
  let base: string;
  let body: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reads a 500 with a failed proof status as the node’s answer, and a bare 500 as the node away', async () => {
    body = JSON.stringify({ status: 'failed', reason: 'proof_failed', message: 'prover crashed' });
    await expect(createNodeClient(base).proof('r')).resolves.toMatchObject({ status: 'failed' });
    body = 'upstream unavailable';
    await expect(createNodeClient(base).proof('r')).rejects.toMatchObject({
      code: 'proof_unavailable',
      retryable: true,
    });
  });
});

it('recovers the receipt signer once per job, however many checks ask', async () => {
  const recoverSigner = jest.fn(() => Promise.resolve(receipt.signer as `0x${string}`));
  const once = recoverOncePerReceipt(recoverSigner);
  const other = { ...receipt };
  await Promise.all([once(receipt), once(receipt), once(other)]);
  expect(recoverSigner).toHaveBeenCalledTimes(2);
  expect(recoverSigner.mock.calls).toEqual([[receipt], [other]]);
});
