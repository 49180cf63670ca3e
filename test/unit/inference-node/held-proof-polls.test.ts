// A node holds proof polls (`?waitMs=`) on one abort listener each on its closing signal, and removes it when the poll
// is answered: a long-running node must not collect one dead listener per poll it ever held.
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createNodeApp, type NodeAppDeps } from '../../../src/inference-node/app';
import { createMetrics } from '../../../src/observability';

/** A node app whose proof is pending until `settled` gives up after its wait (the only deps a proof poll reaches). */
function startApp(closing: AbortSignal) {
  const proofs: NodeAppDeps['proofs'] = {
    handle: () => ({ status: 202, body: { status: 'pending' } }) as ReturnType<NodeAppDeps['proofs']['handle']>,
    settled: (_id, waitMs, signal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }),
  };
  const app = createNodeApp({
    proofs,
    closing,
    metrics: createMetrics({}),
    logger: pino({ level: 'silent' }),
  } as unknown as NodeAppDeps);
  const server = http.createServer(app);
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      }),
    ),
  );
}

it('leaves no listener on the closing signal once held polls are answered', async () => {
  const closing = new AbortController();
  const node = await startApp(closing.signal);
  try {
    const polls = Array.from({ length: 5 }, () => fetch(`${node.url}/v1/receipts/r-1/proof?waitMs=300`));
    // While the polls are held, each has its listener: the count proves the polls were held, not answered at once.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(5);
    const answers = await Promise.all(polls);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  } finally {
    await node.close();
  }
});

it('answers a held poll at once when the node closes, on a connection it then closes', async () => {
  const closing = new AbortController();
  const node = await startApp(closing.signal);
  try {
    const asked = Date.now();
    const poll = fetch(`${node.url}/v1/receipts/r-1/proof?waitMs=10000`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    closing.abort();
    const answer = await poll;
    expect(answer.status).toBe(202);
    expect(answer.headers.get('connection')).toBe('close');
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  } finally {
    await node.close();
  }
});
