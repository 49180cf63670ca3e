// A small HTTP proxy that a chaos run puts in front of a service to fail, delay or drop what passes through: JSON-RPC
// errors in front of anvil, a node killed between the facilitator's /verify answer and its own, proofs held back.
// Requests and answers are buffered (every body here is small), so a rule sees the whole request and the whole answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxiedRequest = { method: string; url: string; body: Buffer };
export type ProxiedAnswer = { status: number; body: Buffer };

export type ProxyRules = {
  /** Before forwarding: answer in place of the service, or wait first (then forward). Undefined: forward at once. */
  before?(request: ProxiedRequest): Promise<{ answer: ProxiedAnswer } | { delayMs: number } | undefined>;
  /** After the service answered: `drop` closes the client's connection without an answer. */
  after?(request: ProxiedRequest, answer: ProxiedAnswer): Promise<'deliver' | 'drop'>;
};

export type FaultProxy = { url: string; close(): Promise<void> };

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startFaultProxy(target: string, rules: ProxyRules): Promise<FaultProxy> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', body: Buffer.concat(chunks) };
      void proxy(request, req.headers).then(
        (answer) => {
          if (answer === 'drop') return void res.socket?.destroy();
          res.writeHead(answer.status, answer.headers).end(answer.body);
        },
        // The service is down (killed on purpose, restarting): what a client sees from a dead upstream.
        () => void res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unavailable'),
      );
    });
  });

  async function proxy(request: ProxiedRequest, headers: http.IncomingHttpHeaders) {
    const early = await rules.before?.(request);
    if (early && 'answer' in early) return { ...early.answer, headers: { 'content-type': 'application/json' } };
    if (early) await new Promise((r) => setTimeout(r, early.delayMs));
    const upstream = await fetch(new URL(request.url, target), {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(headers)
          .filter(([k, v]) => !HOP_BY_HOP.has(k) && typeof v === 'string')
          .map(([k, v]) => [k, v as string]),
      ),
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
    });
    const answer = { status: upstream.status, body: Buffer.from(await upstream.arrayBuffer()) };
    if ((await rules.after?.(request, answer)) === 'drop') return 'drop' as const;
    const forwarded: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') forwarded[k] = v;
    });
    return { ...answer, headers: forwarded };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
