// The verifier process's HTTP surface: POST /v1/jobs queues a verification, GET /v1/verdicts/:receiptId reads it,
// GET /metrics serves its metrics. Each job runs in a span continuing the trace of the request that queued it.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { VerificationJobSchema, type VerificationJob, type Verdict } from '../../contracts';
import {
  createLimitedServer,
  rateLimiterOf,
  readLimitedBody,
  refuseOverRate,
  BodyTooLargeError,
  type HttpLimits,
} from '../../http-limits';
import { inSpan, keepTraceContext, recordVerdict, traceIncoming, type Metrics } from '../../observability';
import { checkJobSignature, JOB_SIGNATURE_HEADER, JOB_TIMESTAMP_HEADER } from './job-signature';
import type { VerdictPublisher, VerdictStore } from './verdict-store';

export type VerifierHttpOptions = {
  host: string;
  port: number;
  store: VerdictStore;
  runJob(job: VerificationJob): Promise<Verdict>;
  publisher?: VerdictPublisher;
  logger?: Logger;
  metrics?: Metrics;
  limits: HttpLimits;
  /** Addresses whose signed jobs are accepted (see job-signature.ts), and how far a job's timestamp may be off. */
  submitters: readonly string[];
  jobMaxAgeMs: number;
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { ok: false, message: `the body is not valid JSON: ${(error as Error).message}` };
  }
}

export async function startVerifierHttp(
  options: VerifierHttpOptions,
): Promise<{ url: string; close(): Promise<void>; inFlight(): Promise<void> }> {
  const running = new Set<Promise<void>>();
  /** `nameRoute` names the span of the request by the route it matched. */
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, nameRoute: (route: string) => void) => {
    const url = new URL(req.url ?? '/', 'http://verifier');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/metrics' && options.metrics) {
      nameRoute('/metrics');
      const { contentType, text } = await options.metrics.render();
      return void res.writeHead(200, { 'content-type': contentType }).end(text);
    }
    if (req.method === 'POST' && url.pathname === '/v1/jobs') {
      nameRoute('/v1/jobs');
      const body = await readLimitedBody(req, options.limits.maxBodyBytes);
      const signed = await checkJobSignature({
        body,
        signature: header(req, JOB_SIGNATURE_HEADER),
        timestamp: header(req, JOB_TIMESTAMP_HEADER),
        submitters: options.submitters,
        maxAgeMs: options.jobMaxAgeMs,
      });
      if (!signed.ok) {
        options.logger?.warn({ reason: signed.reason, remote: req.socket.remoteAddress }, 'verification job refused');
        return send(res, signed.status, { reason: signed.reason, message: signed.message });
      }
      const json = parseJson(body);
      if (!json.ok) return send(res, 400, { reason: 'job_invalid', message: json.message });
      const parsed = VerificationJobSchema.safeParse(json.value);
      if (!parsed.success)
        return send(res, 400, {
          reason: 'job_invalid',
          message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        });
      const job = parsed.data;
      const existing = options.store.get(job.receiptId);
      if (existing)
        return send(res, 202, { receiptId: job.receiptId, status: existing.state === 'done' ? 'done' : 'pending' });
      options.store.markPending(job.receiptId);
      const accepted = performance.now();
      // Runs after the 202, still in the trace of this request: the verdict's Kafka headers continue it to the bridge.
      const runTraced = keepTraceContext(() =>
        inSpan(
          'verify receipt',
          {
            attributes: {
              'proofpath.receipt_id': job.receiptId,
              ...(job.decisionId && { 'proofpath.decision_id': job.decisionId }),
            },
          },
          async (span) => {
            const verdict = await options.runJob(job);
            span.setAttribute('proofpath.verified', verdict.verified);
            options.store.save(verdict);
            await options.publisher?.publish(verdict);
            if (options.metrics) recordVerdict(options.metrics, verdict, performance.now() - accepted);
          },
        ),
      );
      const work = runTraced()
        .catch((error) => options.logger?.error({ err: error, receiptId: job.receiptId }, 'verification job failed'))
        .finally(() => running.delete(work));
      running.add(work);
      return send(res, 202, { receiptId: job.receiptId, status: 'pending' });
    }
    const match = /^\/v1\/verdicts\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      nameRoute('/v1/verdicts/:receiptId');
      const entry = options.store.get(decodeURIComponent(match[1] as string));
      if (!entry) return send(res, 404, { reason: 'verdict_unknown', message: 'no job for this receipt' });
      return entry.state === 'done' ? send(res, 200, entry.verdict) : send(res, 202, { status: 'pending' });
    }
    send(res, 404, { reason: 'not_found', message: `${req.method} ${url.pathname}` });
  };
  const limiter = rateLimiterOf(options.limits);
  const server = createLimitedServer(options.limits, (req, res) => {
    let route: string | undefined;
    traceIncoming(
      req,
      res,
      () => route,
      () => {
        if (refuseOverRate(limiter, req, res)) return;
        handle(req, res, (matched) => (route = matched)).catch((error: unknown) => {
          if (error instanceof BodyTooLargeError) {
            // The rest of the body is not read: close the connection rather than leave it half-consumed.
            res.setHeader('connection', 'close');
            return send(res, 413, { reason: error.code, message: error.message });
          }
          // A client that went away (or was cut off by the request timeout, 408) mid-body is not a server failure.
          if (res.destroyed || req.destroyed)
            return options.logger?.debug({ err: error, path: req.url }, 'client went away mid-request');
          options.logger?.error({ err: error, path: req.url }, 'verifier request failed');
          if (!res.headersSent) send(res, 500, { reason: 'internal_error', message: (error as Error).message });
        });
      },
    );
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
