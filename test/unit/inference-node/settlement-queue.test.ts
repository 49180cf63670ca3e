// The node's background commitments: a commitment that cannot heal (unregistered node key) is not retried, is logged
// with its full reason, and is stored as failed; drain() keeps the process alive while a retry waits on its backoff.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { NodeNotRegisteredError, type ReceiptRegistry } from '../../../src/chain';
import type { Commitment } from '../../../src/contracts/inference-http';
import { createSettlementQueue } from '../../../src/inference-node/settlement-queue';
import type { ReceiptStore } from '../../../src/inference-node/receipt-store';
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
