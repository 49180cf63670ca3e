// The facilitator's HTTP surface (x402 v2 facilitator API): POST /verify, POST /settle, GET /supported, plus
// GET /settlements/:id (job status), GET /healthz and GET /metrics.
import express, { type Request, type Response } from 'express';
import type { x402Facilitator } from '@x402/core/facilitator';
import { PaymentPayloadSchema, PaymentRequirementsSchema } from '@x402/core/schemas';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { bodyTooLargeAnswer, rateLimiterOf, rateLimitMiddleware, type HttpLimits } from '../../http-limits';
import type { Logger } from '../../log';
import { metricsRoute, traceRequests, type Metrics } from '../../observability';
import type { SettlementJobs } from './settlement-jobs';

type Parsed = { ok: true; payload: PaymentPayload; requirements: PaymentRequirements } | { ok: false; message: string };

function parseRequest(body: unknown): Parsed {
  const b = (body ?? {}) as { paymentPayload?: unknown; paymentRequirements?: unknown };
  const payload = PaymentPayloadSchema.safeParse(b.paymentPayload);
  const requirements = PaymentRequirementsSchema.safeParse(b.paymentRequirements);
  if (!payload.success) return { ok: false, message: `paymentPayload: ${payload.error.message}` };
  if (!requirements.success) return { ok: false, message: `paymentRequirements: ${requirements.error.message}` };
  return { ok: true, payload: payload.data as PaymentPayload, requirements: requirements.data as PaymentRequirements };
}

export function createFacilitatorApp(deps: {
  facilitator: x402Facilitator; jobs: SettlementJobs; metrics: Metrics; logger: Logger;
  /** Body size and per-address rate; the defaults of the settings when absent. */
  limits?: Pick<HttpLimits, 'maxBodyBytes' | 'rateLimitPerSecond' | 'rateLimitBurst'>;
}): express.Express {
  const { facilitator, jobs, metrics, logger } = deps;
  const limits = deps.limits ?? { maxBodyBytes: 65_536, rateLimitPerSecond: 500, rateLimitBurst: 1_000 };
  const app = express();
  app.disable('x-powered-by');
  app.use(traceRequests());
  app.use(rateLimitMiddleware(rateLimiterOf(limits)));
  app.use(express.json({ limit: limits.maxBodyBytes }));

  const badRequest = (res: Response, message: string, reason = 'malformed_request') => res.status(400).json({ reason, message });
  // What this facilitator can verify and settle; anything else is the caller's mistake (400), not a server error.
  const supported = (requirements: PaymentRequirements, payload: PaymentPayload): string | undefined => {
    const kinds = facilitator.getSupported().kinds;
    if (kinds.some((k) => k.scheme === requirements.scheme && k.network === requirements.network && k.x402Version === payload.x402Version)) return undefined;
    return `x402 v${payload.x402Version} ${requirements.scheme} on ${requirements.network} is not supported here; see GET /supported`;
  };
  const parseSupported = (req: Request, res: Response): Extract<Parsed, { ok: true }> | undefined => {
    const parsed = parseRequest(req.body);
    if (!parsed.ok) return void badRequest(res, parsed.message);
    const unsupported = supported(parsed.requirements, parsed.payload);
    if (unsupported) return void badRequest(res, unsupported, 'unsupported_scheme_network');
    return parsed;
  };

  app.post('/verify', async (req: Request, res: Response) => {
    const parsed = parseSupported(req, res);
    if (!parsed) return;
    const started = performance.now();
    const result = await facilitator.verify(parsed.payload, parsed.requirements);
    metrics.observeMs('facilitator_verify_ms', performance.now() - started);
    metrics.count('facilitator_verify_total', { valid: String(result.isValid), reason: result.invalidReason ?? '' });
    if (!result.isValid) logger.info({ reason: result.invalidReason, payer: result.payer }, 'payment invalid');
    // x402: an invalid payment is a normal answer (200 with isValid=false), not a transport error.
    return res.json(result);
  });

  app.post('/settle', async (req: Request, res: Response) => {
    const parsed = parseSupported(req, res);
    if (!parsed) return;
    const started = performance.now();
    const { job, response } = await jobs.settle(parsed.payload, parsed.requirements);
    metrics.observeMs('facilitator_settle_ms', performance.now() - started);
    metrics.count('facilitator_settle_total', { success: String(response.success), reason: response.errorReason ?? '' });
    logger.info({ settlementId: job?.id, success: response.success, transaction: response.transaction, reason: response.errorReason }, 'settle');
    if (job) res.setHeader('X-Settlement-Id', job.id);
    return res.json(response);
  });

  app.get('/supported', (_req, res) => res.json(facilitator.getSupported()));
  app.get('/settlements/:id', (req, res) => {
    const job = jobs.get(String(req.params.id));
    if (!job) return res.status(404).json({ reason: 'settlement_not_found', message: `no settlement job ${req.params.id}` });
    return res.json(job);
  });
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/metrics', metricsRoute(metrics));

  app.use((error: Error & { type?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') return badRequest(res, 'body is not valid JSON');
    const tooLarge = bodyTooLargeAnswer(error);
    if (tooLarge) return res.status(tooLarge.status).json(tooLarge.body);
    logger.error({ err: error }, 'facilitator request failed');
    return res.status(500).json({ reason: 'internal_error', message: error.message });
  });
  return app;
}
