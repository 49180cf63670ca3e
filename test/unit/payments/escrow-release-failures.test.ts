// The facilitator's escrow releases tell a release that never reached the chain (retry: 503) from one the escrow
// refused (final): an RPC outage must not leave a verified payment uncaptured or a rolled-back one unrefunded. A
// facilitator without a key is final too (501): retrying would never give it one.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Hex } from 'viem';
import { x402Facilitator } from '@x402/core/facilitator';
import { createEscrowContract, EscrowWriteError, type EscrowContract } from '../../../src/chain/escrow';
import { createPaymentEscrow } from '../../../src/decisions/payment-escrow';
import { createMetrics } from '../../../src/observability';
import { createEscrowReleases } from '../../../src/payments/facilitator/escrow-releases';
import { createFacilitatorApp } from '../../../src/payments/facilitator/http';
import { createSettlementJobs } from '../../../src/payments/facilitator/settlement-jobs';
import { testConfig, testLogger } from '../../support/test-config';

const HOLD = `0x${'ab'.repeat(32)}` as Hex;

function escrowWhoseCaptureFails(error: Error): EscrowContract {
  return {
    address: '0x0000000000000000000000000000000000000e5c',
    holdOf: () => Promise.resolve({ state: 'held' } as never),
    eventsOf: () => Promise.resolve([]),
    capture: () => Promise.reject(error),
    refund: () => Promise.reject(error),
  } as unknown as EscrowContract;
}

const capture = (escrow: EscrowContract) =>
  createEscrowReleases(escrow).release({
    holdId: HOLD,
    action: 'capture',
    receiptDigest: `0x${'01'.repeat(32)}`,
    signature: '0x01',
  });

it('reports a write that never reached the chain as escrow_chain_unavailable (to retry)', async () => {
  const rpcDown = new EscrowWriteError('capture: HTTP request failed. Status: 503', false);
  await expect(capture(escrowWhoseCaptureFails(rpcDown))).resolves.toMatchObject({
    status: 'failed',
    errorReason: 'escrow_chain_unavailable',
  });
});

it('reports a reverted release as final, with the escrow’s reason', async () => {
  const reverted = new EscrowWriteError('capture reverted: deadline passed', true);
  await expect(capture(escrowWhoseCaptureFails(reverted))).resolves.toMatchObject({
    status: 'failed',
    errorReason: 'escrow_deadline',
  });
  const unknownRevert = new EscrowWriteError('capture reverted: hold frozen', true);
  await expect(capture(escrowWhoseCaptureFails(unknownRevert))).resolves.toMatchObject({
    errorReason: 'escrow_release_failed',
  });
});

describe('a facilitator whose escrow client has no key', () => {
  // The real read-only client: it throws before any RPC. Only the hold read is stubbed (no chain in unit tests).
  const readOnly: EscrowContract = {
    ...createEscrowContract(testConfig()),
    holdOf: () => Promise.resolve({ state: 'held' } as never),
    eventsOf: () => Promise.resolve([]),
  };

  it('refuses the write as final, not as a chain to try again', async () => {
    const error = await readOnly.capture(HOLD, `0x${'01'.repeat(32)}`, '0x01').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ChainClientReadOnlyError', code: 'chain_client_read_only', retryable: false });
  });

  it('answers a release 501 escrow_facilitator_read_only, which the worker does not retry', async () => {
    const facilitator = new x402Facilitator();
    const app = createFacilitatorApp({
      facilitator,
      jobs: createSettlementJobs(facilitator),
      escrow: createEscrowReleases(readOnly),
      metrics: createMetrics(),
      logger: testLogger('facilitator-test'),
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/escrow/${HOLD}/capture`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ receiptDigest: `0x${'01'.repeat(32)}`, signature: `0x${'11'.repeat(65)}` }),
        },
      );
      expect(response.status).toBe(501);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ status: 'failed', errorReason: 'escrow_facilitator_read_only' });
      // The worker's release client reads that answer as a refusal for good, not as a facilitator to ask again.
      const answers = async (url: string) =>
        String(url).includes('/v1/receipts/')
          ? Response.json({ digest: `0x${'01'.repeat(32)}` })
          : new Response(body, { status: response.status, headers: { 'content-type': 'application/json' } });
      const error = await createPaymentEscrow(testConfig(), answers as typeof fetch)
        .capture({
          paymentRef: `eip155:31337/0x${'aa'.repeat(20)}/0x${'bb'.repeat(20)}/0x${'cc'.repeat(32)}`,
          decisionId: 'd-1',
          nodeUrl: 'http://node.test',
          receiptId: 'r-1',
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: 'EscrowReleaseRefusedError',
        code: 'escrow_facilitator_read_only',
        retryable: false,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
