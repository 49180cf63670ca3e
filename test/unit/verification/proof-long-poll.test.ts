// The verifier long-polls a node for a proof: each poll asks the node to hold it (waitMs), a held answer is asked
// again at once, and a node that answers at once (proof not queued yet, or an older node that does not hold) is asked
// again only after the poll interval.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProofStatus } from '../../../src/verification';
import { verifyReceiptJob, type VerificationDeps } from '../../../src/verification/service/verify-receipt-job';
import { createNodeClient, type NodeClient } from '../../../src/verification/service/node-client';
import type { Receipt, VerificationJob } from '../../../src/contracts';

const job = { receiptId: 'rcpt-1', nodeUrl: 'http://node.invalid', decisionId: 'd-1' } as unknown as VerificationJob;
const receipt = { receiptId: 'rcpt-1', modelId: 'm'.repeat(64), signer: '0x' + '1'.repeat(40) } as unknown as Receipt;
const failed: ProofStatus = { status: 'failed', reason: 'proof_failed', message: 'prover crashed' };

function depsWith(proof: NodeClient['proof'], timeouts: Partial<VerificationDeps['timeouts']>): VerificationDeps {
  const unused = () => Promise.reject(new Error('not reached'));
  return {
    nodeClient: () => ({
      receipt: () => Promise.resolve(receipt),
      attestation: unused,
      keyAttestation: unused,
      proof,
    }),
    policy: () => Promise.resolve({} as Awaited<ReturnType<VerificationDeps['policy']>>),
    provingKeys: unused,
    recoverSigner: () => Promise.resolve(receipt.signer as `0x${string}`),
    runtime: {} as VerificationDeps['runtime'],
    timeouts: { attestationMs: 1_000, proofMs: 10_000, reexecutionMs: 1_000, proofPollMs: 2_000, ...timeouts },
  };
}

it('asks the node to hold each poll, and asks again at once after a held answer', async () => {
  const asked: Array<number | undefined> = [];
  // Two held answers (the node waited out the hold), then the node's answer.
  const proof = jest.fn(async (_id: string, _signal?: AbortSignal, waitMs?: number): Promise<ProofStatus> => {
    asked.push(waitMs);
    if (asked.length <= 2) {
      await new Promise((resolve) => setTimeout(resolve, 120));
      return { status: 'pending' };
    }
    return failed;
  });
  // Were a held answer followed by the poll interval (60 s), the proof check would time out (3 s) before the third ask.
  const verdict = await verifyReceiptJob(
    job,
    depsWith(proof, { proofWaitMs: 200, proofPollMs: 60_000, proofMs: 3_000 }),
  );
  expect(asked).toEqual([200, 200, 200]);
  expect(verdict.checks.proof).toMatchObject({ status: 'fail', reason: 'proof_unavailable' });
});

it('waits the poll interval after an answer the node did not hold', async () => {
  const at: number[] = [];
  const proof = jest.fn(async (): Promise<ProofStatus> => {
    at.push(Date.now());
    return at.length === 1 ? { status: 'pending' } : failed;
  });
  await verifyReceiptJob(job, depsWith(proof, { proofWaitMs: 5_000, proofPollMs: 300 }));
  expect(proof).toHaveBeenCalledTimes(2);
  expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(290);
});

describe('node client, proof poll query', () => {
  let server: http.Server;
  let base: string;
  const urls: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      urls.push(req.url ?? '');
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"pending"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('asks for a held poll (capped at what a node holds), or a plain one without a wait', async () => {
    const client = createNodeClient(base);
    await client.proof('r 1', undefined, 4_000);
    await client.proof('r 1', undefined, 60_000);
    await client.proof('r 1');
    expect(urls).toEqual([
      '/v1/receipts/r%201/proof?waitMs=4000',
      '/v1/receipts/r%201/proof?waitMs=10000',
      '/v1/receipts/r%201/proof',
    ]);
  });
});
