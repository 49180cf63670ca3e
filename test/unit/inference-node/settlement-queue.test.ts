// The node's background commitments: a commitment that cannot heal (unregistered node key) is not retried, is logged
// with its full reason, and is stored as failed; drain() keeps the process alive while a retry waits on its backoff.
// Settlements are retried for as long as their authorization is valid.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { NodeNotRegisteredError, type ReceiptRegistry } from '../../../src/chain';
import type { Commitment, SettlementStatus } from '../../../src/contracts/inference-http';
import { createSettlementQueue } from '../../../src/inference-node/settlement-queue';
import type { ReceiptStore, ServedPayment } from '../../../src/inference-node/receipt-store';
import { createMetrics } from '../../../src/observability';
import type { PaymentGate } from '../../../src/payments';

const NODE = '0x00000000000000000000000000000000000000aa';
const REGISTRY = '0x00000000000000000000000000000000000000bb';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

it('logs and stores an unregistered-node commitment failure once, with the full reason, without retrying', async () => {
  let calls = 0;
  const registry = {
    address: REGISTRY,
    commitReceipt: () => {
      calls += 1;
      return Promise.reject(new NodeNotRegisteredError({ node: NODE, registry: REGISTRY }));
    },
  } as unknown as ReceiptRegistry;
  const stored: Commitment[] = [];
  const store = { setCommitment: (_id: string, c: Commitment) => stored.push(c) } as unknown as ReceiptStore;
  const { logger, lines } = capturingLogger();
  const worker = createSettlementQueue({
    gate: {} as PaymentGate,
    store,
    registry,
    attempts: 5,
    backoffMs: 10,
    logger,
    metrics: createMetrics(),
  });
  worker.commitLater('r-1', '0x01', 'receipt');
  await worker.drain();
  expect(calls).toBe(1);
  expect(stored).toEqual([
    {
      kind: 'receipt',
      status: 'failed',
      reason: expect.stringContaining(`node ${NODE} is not registered on the settlement registry ${REGISTRY}`),
    },
  ]);
  expect(lines).toContainEqual(
    expect.objectContaining({
      msg: 'receipt commitment failed',
      receiptId: 'r-1',
      code: 'node_not_registered',
      attempts: 1,
    }),
  );
});

it('keeps the process alive through drain() while a commitment retry waits on its backoff', async () => {
  const script = path.join(__dirname, 'drain-child.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(__dirname, '../../..'),
  });
  expect(stdout.trim().split('\n')).toEqual(['attempt 1', 'attempt 2', 'drained']);
}, 30_000);

function servedWith(validBeforeSeconds: number): ServedPayment {
  return {
    receiptId: 'r-settle',
    payment: {
      payload: { payload: { authorization: { validBefore: String(validBeforeSeconds) } } },
      requirements: { network: 'eip155:31337' },
    },
  } as unknown as ServedPayment;
}

function settlingQueue(failures: number) {
  let calls = 0;
  const gate = {
    settle: () => {
      calls += 1;
      return Promise.resolve(
        calls <= failures
          ? { success: false, errorReason: 'unexpected_settle_error', transaction: '', network: 'eip155:31337' }
          : { success: true, transaction: '0xabc', network: 'eip155:31337' },
      );
    },
  } as unknown as PaymentGate;
  const stored: SettlementStatus[] = [];
  const store = { setSettlement: (_id: string, s: SettlementStatus) => stored.push(s) } as unknown as ReceiptStore;
  const queue = createSettlementQueue({
    gate,
    store,
    attempts: 2,
    backoffMs: 5,
    maxBackoffMs: 20,
    logger: capturingLogger().logger,
    metrics: createMetrics(),
  });
  return { queue, stored, calls: () => calls };
}

it('retries a deferred settlement past its attempt count while the authorization is still valid', async () => {
  const { queue, stored, calls } = settlingQueue(6);
  queue.settleLater(servedWith(Math.floor(Date.now() / 1000) + 300));
  await queue.drain();
  expect(calls()).toBe(7);
  expect(stored).toEqual([expect.objectContaining({ status: 'settled', transaction: '0xabc', attempts: 7 })]);
});

it('gives a settlement up once its authorization has expired, with the facilitator’s last reason on the receipt', async () => {
  const { queue, stored, calls } = settlingQueue(Number.POSITIVE_INFINITY);
  queue.settleLater(servedWith(Math.floor(Date.now() / 1000) + 1));
  await queue.drain();
  expect(calls()).toBeGreaterThan(2);
  expect(stored).toEqual([expect.objectContaining({ status: 'failed', reason: 'unexpected_settle_error' })]);
});
