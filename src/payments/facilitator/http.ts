// The facilitator's HTTP surface (x402 v2 facilitator API): POST /verify, POST /settle, GET /supported, plus
// GET /settlements/:id (job status), the escrow's POST /escrow/:id/capture|refund|refund-expired, GET /healthz and
// GET /metrics.
import express, { type Request, type Response } from 'express';
import type { x402Facilitator } from '@x402/core/facilitator';
import { PaymentPayloadSchema, PaymentRequirementsSchema } from '@x402/core/schemas';
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { bodyTooLargeAnswer, rateLimiterOf, rateLimitMiddleware, type HttpLimits } from '../../http-limits';
import { ChainClientReadOnlyError } from '../../chain';
import { EngineError } from '../../errors';
import type { Logger } from '../../log';
import { metricsRoute, traceRequests, type Metrics } from '../../observability';
import type { Hex } from 'viem';
import { EscrowReleaseRequestSchema, type EscrowReleaseResponse } from '../../contracts/facilitator-http';
import type { ChannelCharges } from './channel-charges';
import { registerChannelChargeRoutes } from './channel-charge-routes';
import type { EscrowReleases } from './escrow-releases';
import type { SettlementJobs } from './settlement-jobs';

type Parsed = { ok: true; payload: PaymentPayload; requirements: PaymentRequirements } | { ok: false; message: string };

/**
 * The HTTP status of an escrow release: 503 only for a transaction that never reached the chain (the worker retries);
 * 501 when this facilitator has no key to send with, final (not 500, which clients retry: isTransientHttpStatus).
 */
function releaseStatusOf(result: EscrowReleaseResponse): number {
  if (result.status === 'done') return 200;
  if (result.errorReason?.startsWith('escrow_already_')) return 409;
  if (result.errorReason === 'escrow_not_held') return 404;
  if (result.errorReason === 'escrow_chain_unavailable') return 503;
  if (result.errorReason === 'escrow_facilitator_read_only') return 501;
  return 422;
}

/**
 * The answer to a request that threw. 503 when trying again can help (an engine error that says so: a chain read that
 * failed). A failure that says it cannot heal (`retryable: false`, an engine error or any error carrying that flag)
 * answers a final status with its own code: 501 when this facilitator has no key to send with (as an escrow release
 * does), 422 otherwise. Only an unknown error (a bug) stays 500 internal_error, which clients retry
 * (isTransientHttpStatus). x402's own answers (VerifyResponse, SettleResponse) are returned, never thrown: unchanged.
 */
function failureAnswerOf(error: Error): { status: number; reason: string; retryable: boolean } {
  const { retryable, code } = error as { retryable?: unknown; code?: unknown };
  if (error instanceof EngineError && error.retryable) return { status: 503, reason: error.code, retryable: true };
  if (retryable === false) {
    const reason = typeof code === 'string' ? code : 'request_failed';
    return { status: error instanceof ChainClientReadOnlyError ? 501 : 422, reason, retryable: false };
  }
  return { status: 500, reason: 'internal_error', retryable: true };
}

function parseRequest(body: unknown): Parsed {
  const b = (body ?? {}) as { paymentPayload?: unknown; paymentRequirements?: unknown };
  const payload = PaymentPayloadSchema.safeParse(b.paymentPayload);
  const requirements = PaymentRequirementsSchema.safeParse(b.paymentRequirements);
  if (!payload.success) return { ok: false, message: `paymentPayload: ${payload.error.message}` };
  if (!requirements.success) return { ok: false, message: `paymentRequirements: ${requirements.error.message}` };
  return { ok: true, payload: payload.data as PaymentPayload, requirements: requirements.data as PaymentRequirements };
}

export function createFacilitatorApp(deps: {
  facilitator: x402Facilitator;
  jobs: SettlementJobs;
  escrow?: EscrowReleases;
  channelCharges?: ChannelCharges;
  metrics: Metrics;
  logger: Logger;
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

  const badRequest = (res: Response, message: string, reason = 'malformed_request') =>
    res.status(400).json({ reason, message });
  // What this facilitator can verify and settle; anything else is the caller's mistake (400), not a server error.
  const supported = (requirements: PaymentRequirements, payload: PaymentPayload): string | undefined => {
    const kinds = facilitator.getSupported().kinds;
    if (
      kinds.some(
        (k) =>
          k.scheme === requirements.scheme &&
          k.network === requirements.network &&
          k.x402Version === payload.x402Version,
      )
    )
      return undefined;
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
    // Channel mode: the channel and its highest verified voucher, for claiming verified charges later.
    else if (parsed.requirements.scheme === 'batch-settlement') deps.channelCharges?.observe(parsed.payload);
    // x402: an invalid payment is a normal answer (200 with isValid=false), not a transport error.
    return res.json(result);
  });

  app.post('/settle', async (req: Request, res: Response) => {
    const parsed = parseSupported(req, res);
    if (!parsed) return;
    const started = performance.now();
    const { job, response } = await jobs.settle(parsed.payload, parsed.requirements);
    metrics.observeMs('facilitator_settle_ms', performance.now() - started);
    metrics.count('facilitator_settle_total', {
      success: String(response.success),
      reason: response.errorReason ?? '',
    });
    logger.info(
      {
        settlementId: job?.id,
        success: response.success,
        transaction: response.transaction,
        reason: response.errorReason,
        message: response.errorMessage,
      },
      'settle',
    );
    if (job) res.setHeader('X-Settlement-Id', job.id);
    return res.json(response);
  });

  app.get('/supported', (_req, res) => res.json(facilitator.getSupported()));
  const isHoldId = (id: string) => /^0x[0-9a-fA-F]{64}$/.test(id);
  app.get('/settlements/:id', async (req, res) => {
    const id = String(req.params.id);
    const job = jobs.get(id);
    // An escrowed payment: the hold and its authorize, capture and refund, read back from the chain (survives restarts).
    const escrowed =
      deps.escrow && isHoldId(id) ? await deps.escrow.view(id.toLowerCase() as Hex).catch(() => undefined) : undefined;
    if (!job && !escrowed)
      return res.status(404).json({ reason: 'settlement_not_found', message: `no settlement job ${req.params.id}` });
    if (!escrowed) return res.json(job);
    const authorize =
      escrowed.authorize ??
      (job
        ? {
            status: job.status === 'settled' ? 'done' : job.status,
            transaction: job.transaction,
            attempts: job.attempts,
            updatedAt: job.updatedAt,
          }
        : undefined);
    return res.json({ ...job, status: job?.status ?? 'settled', escrow: { ...escrowed, authorize } });
  });

  // Escrow releases: capture (verifier's passing verdict), refund (failing verdict), refund-expired (anyone, after the
  // capture deadline). 200 when the money moved (now or before: `alreadyDone`), 409 when it moved the other way.
  if (deps.channelCharges) registerChannelChargeRoutes(app, deps.channelCharges, metrics);

  app.post('/escrow/:id/:action', async (req: Request, res: Response) => {
    if (!deps.escrow)
      return res.status(404).json({ reason: 'escrow_disabled', message: 'this facilitator has no escrow' });
    const id = String(req.params.id);
    const action = String(req.params.action);
    if (!isHoldId(id) || !['capture', 'refund', 'refund-expired'].includes(action))
      return badRequest(res, 'POST /escrow/<0x hold id>/capture|refund|refund-expired');
    const body = action === 'refund-expired' ? undefined : EscrowReleaseRequestSchema.safeParse(req.body);
    if (body && !body.success) return badRequest(res, body.error.message);
    const result = await deps.escrow.release({
      holdId: id.toLowerCase() as Hex,
      action: action === 'capture' ? 'capture' : 'refund',
      receiptDigest: (body?.data.receiptDigest ?? `0x${'0'.repeat(64)}`) as Hex,
      signature: body?.data.signature as Hex | undefined,
      reason: body?.data.reason,
    });
    metrics.count('facilitator_escrow_release_total', {
      action,
      status: result.status,
      reason: result.errorReason ?? '',
    });
    return res.status(releaseStatusOf(result)).json(result);
  });
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/metrics', metricsRoute(metrics));

  app.use((error: Error & { type?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') return badRequest(res, 'body is not valid JSON');
    const tooLarge = bodyTooLargeAnswer(error);
    if (tooLarge) return res.status(tooLarge.status).json(tooLarge.body);
    const answer = failureAnswerOf(error);
    if (answer.status === 500) logger.error({ err: error }, 'facilitator request failed');
    else
      logger.warn(
        { err: error, reason: answer.reason, status: answer.status },
        answer.retryable ? 'facilitator request failed, retryable' : 'facilitator request failed, final',
      );
    return res.status(answer.status).json({ reason: answer.reason, message: error.message });
  });
  return app;
}
