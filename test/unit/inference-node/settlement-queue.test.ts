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
import { createQuietGate, type PaymentGate } from '../../../src/payments';

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

it('stop() ends a settlement retrying against a facilitator that is down: drain returns, the settlement stays pending', async () => {
  const { queue, stored, calls } = settlingQueue(Number.POSITIVE_INFINITY);
  queue.settleLater(servedWith(Math.floor(Date.now() / 1000) + 600));
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(calls()).toBeGreaterThan(1);
  queue.stop();
  await queue.drain();
  const attempts = calls();
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(calls()).toBe(attempts); // no attempt after the stop
  expect(stored).toEqual([]); // neither settled nor failed: the journal still has it pending for the next start
});

it('holds settlements and commitments at the quiet gate while a request is in progress', async () => {
  const settled: string[] = [];
  const gate = {
    settle: () => {
      settled.push('settle');
      return Promise.resolve({ success: true, transaction: '0xabc', network: 'eip155:31337' });
    },
  } as unknown as PaymentGate;
  const registry = {
    address: REGISTRY,
    commitReceipt: () => {
      settled.push('commit');
      return Promise.resolve({ transaction: '0xdef' });
    },
  } as unknown as ReceiptRegistry;
  const store = { setSettlement: () => undefined, setCommitment: () => undefined } as unknown as ReceiptStore;
  const quiet = createQuietGate({ quietMs: 50, maxDeferMs: 10_000 });
  const queue = createSettlementQueue({
    gate,
    store,
    registry,
    quiet,
    attempts: 2,
    backoffMs: 5,
    logger: capturingLogger().logger,
    metrics: createMetrics(),
  });
  const answered = quiet.enter();
  queue.settleLater(servedWith(Math.floor(Date.now() / 1000) + 600));
  queue.commitLater('r-settle', '0x01', 'receipt');
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(settled).toEqual([]);
  answered();
  await queue.drain();
  expect(settled.sort()).toEqual(['commit', 'settle']);
});
