// A request the facilitator fails on is answered by what the failure says: 503 to retry, a final status with the
// failure's own code when it cannot heal, 500 internal_error only for the unknown (a bug), which clients retry. The
// worker's release clients read those answers the same way, so a final failure is not retried forever.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { x402Facilitator } from '@x402/core/facilitator';
import pino from 'pino';
import { ChainClientReadOnlyError } from '../../../src/chain';
import { createPaymentChannel } from '../../../src/decisions/payment-channel';
import { createPaymentEscrow } from '../../../src/decisions/payment-escrow';
import { EngineError } from '../../../src/errors';
import { createMetrics } from '../../../src/observability';
import type { ChannelCharges } from '../../../src/payments/facilitator/channel-charges';
import type { EscrowReleases } from '../../../src/payments/facilitator/escrow-releases';
import { createFacilitatorApp } from '../../../src/payments/facilitator/http';
import { createSettlementJobs } from '../../../src/payments/facilitator/settlement-jobs';
import { isTransientHttpStatus } from '../../../src/retry';
import { testConfig } from '../../support/test-config';

const NETWORK = 'eip155:31337';
const CHANNEL = `0x${'ab'.repeat(32)}`;
const ESCROW_REF = `${NETWORK}/0x${'aa'.repeat(20)}/0x${'bb'.repeat(20)}/0x${'cc'.repeat(32)}`;
const CHANNEL_REF = `${NETWORK}/0x${'aa'.repeat(20)}/0x${'bb'.repeat(20)}/${CHANNEL}/100`;

const finalEngineError = () => new EngineError('payment_asset_missing', 'no payment token is deployed on this chain');
const finalForeignError = () =>
  Object.assign(new Error('the signer refused the request'), { code: 'signer_refused', retryable: false });
const bug = () => new TypeError("Cannot read properties of undefined (reading 'amount')");

let server: Server;
let url: string;
let failure: Error;
const facilitator = new x402Facilitator();
facilitator.register(NETWORK, {
  scheme: 'exact',
  caipFamily: 'eip155:*',
  getExtra: () => undefined,
  getSigners: () => [],
  verify: () => Promise.reject(failure),
  settle: () => Promise.reject(failure),
} as never);

beforeAll(async () => {
  const app = createFacilitatorApp({
    facilitator,
    jobs: createSettlementJobs(facilitator),
    escrow: { release: () => Promise.reject(failure), view: () => Promise.resolve(undefined) } as EscrowReleases,
    channelCharges: { verdict: () => Promise.reject(failure) } as unknown as ChannelCharges,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));

const requirements = {
  scheme: 'exact',
  network: NETWORK,
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  amount: '1000',
  payTo: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  maxTimeoutSeconds: 60,
  extra: { name: 'Proofpath USD', version: '1' },
};
async function verify() {
  const response = await fetch(`${url}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      x402Version: 2,
      paymentPayload: { x402Version: 2, accepted: requirements, payload: {} },
      paymentRequirements: requirements,
    }),
  });
  return { status: response.status, body: (await response.json()) as { reason?: string; message?: string } };
}

describe('facilitator answers to a request that threw', () => {
  it.each([
    ['an engine error that cannot heal', finalEngineError, 422, 'payment_asset_missing'],
    ['any error flagged retryable: false', finalForeignError, 422, 'signer_refused'],
    ['a client without a key', () => new ChainClientReadOnlyError('escrow', 'capture'), 501, 'chain_client_read_only'],
  ])('answers %s with a final status and its own code, not 500', async (_what, error, status, reason) => {
    failure = error();
    const answer = await verify();
    expect(answer).toEqual({ status, body: { reason, message: failure.message } });
    expect(isTransientHttpStatus(answer.status)).toBe(false);
  });

  it('still answers an unknown error 500 internal_error, which clients retry', async () => {
    failure = bug();
    const answer = await verify();
    expect(answer).toMatchObject({ status: 500, body: { reason: 'internal_error' } });
    expect(isTransientHttpStatus(answer.status)).toBe(true);
  });
});

describe("the worker's release clients", () => {
  const config = () => testConfig({ FACILITATOR_URL: url });
  // The node's receipt is answered here; everything else goes to the facilitator under test.
  const fetchWithReceipt = (async (input: string, init?: RequestInit) =>
    String(input).includes('/v1/receipts/')
      ? Response.json({ digest: `0x${'01'.repeat(32)}` })
      : fetch(input, init)) as typeof fetch;
  const capture = () =>
    createPaymentEscrow(config(), fetchWithReceipt)
      .capture({ paymentRef: ESCROW_REF, decisionId: 'd-1', nodeUrl: 'http://node.test', receiptId: 'r-1' })
      .catch((e: unknown) => e);
  const refundCharge = () =>
    createPaymentChannel(config(), fetchWithReceipt)
      .refund({ paymentRef: CHANNEL_REF, amount: '10' })
      .catch((e: unknown) => e);

  it.each([
    ['escrow capture', capture],
    ['channel refund', refundCharge],
  ])('%s: take a final failure as a refusal under its code, not as a facilitator to ask again', async (_w, move) => {
    failure = finalEngineError();
    await expect(move()).resolves.toMatchObject({
      name: 'EscrowReleaseRefusedError',
      code: 'payment_asset_missing',
      retryable: false,
    });
  });

  it.each([
    ['escrow capture', capture],
    ['channel refund', refundCharge],
  ])('%s: retry an unknown failure (500)', async (_w, move) => {
    failure = bug();
    await expect(move()).resolves.toMatchObject({ name: 'EscrowReleaseUnavailableError', retryable: true });
  });
});
