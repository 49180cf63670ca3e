// Child process of settlement-queue.test.ts: nothing but the worker's retry holds the event loop, so without drain()
// keeping the process alive it would exit during the backoff and never print "drained".
import pino from 'pino';
import type { ReceiptRegistry } from '../../../src/chain';
import type { ReceiptStore } from '../../../src/inference-node/receipt-store';
import { createSettlementQueue } from '../../../src/inference-node/settlement-queue';
import { createMetrics } from '../../../src/observability';
import type { PaymentGate } from '../../../src/payments';

let calls = 0;
const registry = {
  address: '0x00000000000000000000000000000000000000bb',
  commitReceipt: () => {
    calls += 1;
    process.stdout.write(`attempt ${calls}\n`);
    return calls === 1 ? Promise.reject(new Error('transient')) : Promise.resolve({ alreadyCommitted: false });
  },
} as unknown as ReceiptRegistry;
const store = { setCommitment: () => undefined } as unknown as ReceiptStore;
const worker = createSettlementQueue({
  gate: {} as PaymentGate,
  store,
  registry,
  attempts: 3,
  backoffMs: 300,
  logger: pino({ level: 'silent' }),
  metrics: createMetrics(),
});
worker.commitLater('r-1', '0x01', 'receipt');
void worker.drain().then(() => process.stdout.write('drained\n'));
