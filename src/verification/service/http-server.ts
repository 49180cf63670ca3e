// The verifier process's HTTP surface: POST /v1/jobs queues a verification, GET /v1/verdicts/:receiptId reads it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { VerificationJobSchema, type VerificationJob, type Verdict } from '../../contracts';
import type { VerdictPublisher, VerdictStore } from './verdict-store';

export type VerifierHttpOptions = {
  host: string;
  port: number;
  store: VerdictStore;
  runJob(job: VerificationJob): Promise<Verdict>;
  publisher?: VerdictPublisher;
  logger?: Logger;
};

const MAX_BODY_BYTES = 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startVerifierHttp(options: VerifierHttpOptions): Promise<{ url: string; close(): Promise<void>; inFlight(): Promise<void> }> {
  const running = new Set<Promise<void>>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://verifier');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.method === 'POST' && url.pathname === '/v1/jobs') {
      const parsed = VerificationJobSchema.safeParse(await readJson(req).catch(() => undefined));
      if (!parsed.success) return send(res, 400, { reason: 'job_invalid', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      const job = parsed.data;
      const existing = options.store.get(job.receiptId);
      if (existing) return send(res, 202, { receiptId: job.receiptId, status: existing.state === 'done' ? 'done' : 'pending' });
      options.store.markPending(job.receiptId);
      const work = options
        .runJob(job)
        .then(async (verdict) => {
          options.store.save(verdict);
          await options.publisher?.publish(verdict);
        })
        .catch((error) => options.logger?.error({ err: error, receiptId: job.receiptId }, 'verification job failed'))
        .finally(() => running.delete(work));
      running.add(work);
      return send(res, 202, { receiptId: job.receiptId, status: 'pending' });
    }
    const match = /^\/v1\/verdicts\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const entry = options.store.get(decodeURIComponent(match[1] as string));
      if (!entry) return send(res, 404, { reason: 'verdict_unknown', message: 'no job for this receipt' });
      return entry.state === 'done' ? send(res, 200, entry.verdict) : send(res, 202, { status: 'pending' });
    }
    send(res, 404, { reason: 'not_found', message: `${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    inFlight: async () => {
      await Promise.all([...running]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
