// The facilitator's HTTP surface answers a request it cannot serve with a precise 400, never a 500.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { x402Facilitator } from '@x402/core/facilitator';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator';
import { createMetrics } from '../../../src/observability';
import { createFacilitatorApp } from '../../../src/payments/facilitator/http';
import { createSettlementJobs } from '../../../src/payments/facilitator/settlement-jobs';
import { ChainReadFailedError } from '../../../src/payments/escrow/facilitator-scheme';
import { testLogger } from '../../support/test-config';

const unreachable = (): never => {
  throw new Error('a refused request must not reach the chain');
};

let server: Server;
let url: string;
const facilitator = new x402Facilitator();
beforeAll(async () => {
  const signer = toFacilitatorEvmSigner({
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    readContract: unreachable,
    verifyTypedData: unreachable,
    writeContract: unreachable,
    sendTransaction: unreachable,
    waitForTransactionReceipt: unreachable,
    getCode: unreachable,
  } as never);
  registerExactEvmScheme(facilitator, { signer, networks: 'eip155:31337' });
  const app = createFacilitatorApp({
    facilitator,
    jobs: createSettlementJobs(facilitator),
    metrics: createMetrics(),
    logger: testLogger('facilitator-test'),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));

const requirements = (network: string) => ({
  scheme: 'exact',
  network,
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  amount: '1000',
  payTo: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  maxTimeoutSeconds: 60,
  extra: { name: 'Proofpath USD', version: '1' },
});
const request = (network: string) => ({
  paymentPayload: {
    x402Version: 2,
    resource: { url: 'http://node.invalid/v1/models/m/infer' },
    accepted: requirements(network),
    payload: {
      signature: `0x${'11'.repeat(65)}`,
      authorization: {
        from: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
        to: requirements(network).payTo,
        value: '1000',
        validAfter: '0',
        validBefore: '9999999999',
        nonce: `0x${'22'.repeat(32)}`,
      },
    },
  },
  paymentRequirements: requirements(network),
});
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { reason?: string; message?: string } };
};

describe('facilitator HTTP', () => {
  it.each(['/verify', '/settle'])(
    '%s answers 400 unsupported_scheme_network for a chain it does not serve',
    async (path) => {
      const { status, body } = await post(path, request('eip155:8453'));
      expect(status).toBe(400);
      expect(body.reason).toBe('unsupported_scheme_network');
      expect(body.message).toContain('eip155:8453');
    },
  );

  it.each(['/verify', '/settle'])(
    '%s answers 400 malformed_request for a body that is not an x402 request',
    async (path) => {
      expect(await post(path, { paymentPayload: { x402Version: 2 } })).toMatchObject({
        status: 400,
        body: { reason: 'malformed_request' },
      });
      expect(await post(path, '{not json')).toMatchObject({ status: 400, body: { reason: 'malformed_request' } });
    },
  );

  it('answers 503 with the reason when a chain read the verification needs fails, never an invalid payment', async () => {
    jest
      .spyOn(facilitator, 'verify')
      .mockRejectedValueOnce(new ChainReadFailedError('could not read whether 0xabc is a registered verifier'));
    const { status, body } = await post('/verify', request('eip155:31337'));
    expect({ status, reason: body.reason }).toEqual({ status: 503, reason: 'chain_read_failed' });
  });

  it('lists what it supports', async () => {
    const supported = (await (await fetch(`${url}/supported`)).json()) as {
      kinds: Array<{ network: string; scheme: string }>;
    };
    expect(supported.kinds).toEqual(
      expect.arrayContaining([expect.objectContaining({ scheme: 'exact', network: 'eip155:31337' })]),
    );
  });
});
