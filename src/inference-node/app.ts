// The node's HTTP surface: GET /v1/models, POST /v1/models/:modelId/infer (x402), GET /v1/receipts/:id, /healthz, /metrics,
// and for verifiers (free): GET /v1/attestation?nonce=, GET /v1/attestation/keys/:signer, GET /v1/receipts/:id/proof.
// Every refusal is JSON `{reason, message, details?}`; a 402 also carries a fresh PAYMENT-REQUIRED header (x402 v2 HTTP).
import express, { type NextFunction, type Request, type Response } from 'express';
import { ProofWaitQuerySchema, type ModelListing } from '../contracts/inference-http';
import type { SettlementMode } from '../contracts/receipt';
import type { PaymentAsset } from '../chain';
import { bodyTooLargeAnswer, rateLimiterOf, rateLimitMiddleware, type HttpLimits } from '../http-limits';
import type { Logger } from '../log';
import { keepTraceContext, metricsRoute, traceRequests, type Metrics } from '../observability';
import { NodeRequestError, type PaymentGate, type QuietGate } from '../payments';
import type { AttestationProvider, ProofService } from '../verification';
import type { KeyAttestationArchive } from './key-attestations';
import type { InferAnswer } from './paid-inference';
import type { ReceiptStore } from './receipt-store';
import type { InferenceRuntime } from './runtime';

export type NodeAppDeps = {
  runtime: InferenceRuntime;
  /** What a 402 offers: the exact/escrow gate, or the channel gate in channel mode. */
  gate: Pick<PaymentGate, 'requirementsFor' | 'paymentRequiredHeader'>;
  store: ReceiptStore;
  handleInfer(
    modelId: string,
    body: unknown,
    paymentHeader: string | undefined,
    resourceUrl: string,
  ): Promise<InferAnswer>;
  priceOf(modelId: string): bigint;
  asset: PaymentAsset;
  nodeId: string;
  signerAddress: `0x${string}`;
  mode: SettlementMode;
  attestation: Pick<AttestationProvider, 'handle'>;
  keyAttestations: Pick<KeyAttestationArchive, 'documentOf'>;
  proofs: Pick<ProofService, 'handle' | 'settled'>;
  /** Aborted when the node shuts down: held proof polls answer at once instead of holding the shutdown. */
  closing?: AbortSignal;
  metrics: Metrics;
  logger: Logger;
  /** Told when an inference request arrives and when its answer has gone, so after-the-answer work yields to it. */
  quiet?: Pick<QuietGate, 'enter'>;
  /** Body size and per-address rate; the defaults of the settings when absent. */
  limits?: Pick<HttpLimits, 'maxBodyBytes' | 'rateLimitPerSecond' | 'rateLimitBurst'>;
};

export function createNodeApp(deps: NodeAppDeps): express.Express {
  const { metrics, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(traceRequests());
  const limits = deps.limits ?? { maxBodyBytes: 1_048_576, rateLimitPerSecond: 500, rateLimitBurst: 1_000 };
  app.use(rateLimitMiddleware(rateLimiterOf(limits)));
  app.use(express.json({ limit: limits.maxBodyBytes }));

  app.get('/v1/models', (_req, res) => {
    const listing: ModelListing = {
      nodeId: deps.nodeId,
      settlementMode: deps.mode,
      models: deps.runtime.listModels().map((m) => ({
        modelId: m.modelId,
        name: m.name,
        schema: m.schema,
        price: {
          amount: deps.priceOf(m.modelId).toString(),
          asset: deps.asset.address,
          network: deps.asset.network,
          eip712: deps.asset.eip712,
        },
      })),
    };
    res.json(listing);
  });

  app.post('/v1/models/:modelId/infer', async (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const answered = deps.quiet?.enter();
    if (answered) res.once('close', answered);
    const modelId = String(req.params.modelId);
    res.locals.modelId = modelId; // the error handler (below) needs it to build PAYMENT-REQUIRED
    const resourceUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
    try {
      const answer = await deps.handleInfer(modelId, req.body, req.get('payment-signature'), resourceUrl);
      metrics.count('node_requests_total', {
        route: 'infer',
        status: '200',
        reason: answer.replayed ? 'replayed' : '',
      });
      metrics.observeMs('node_infer_ms', performance.now() - started, {
        mode: deps.mode,
        replayed: String(Boolean(answer.replayed)),
      });
      // 'close' follows the last byte (or a client that went away): work started here never delays the answer.
      // Bound to the request's trace: the proof it queues is part of this answer's story.
      if (answer.afterAnswer) res.once('close', keepTraceContext(answer.afterAnswer));
      res.status(answer.status).set(answer.headers).json(answer.body);
    } catch (error) {
      next(error);
    }
  });

  app.get('/v1/receipts/:id', (req, res, next) => {
    const record = deps.store.record(String(req.params.id).toLowerCase()) ?? deps.store.record(String(req.params.id));
    if (!record) return next(new NodeRequestError('receipt_not_found', `no receipt ${req.params.id} on this node`));
    return res.json(record);
  });

  // The verifier's nonce makes the document fresh; a document is made per request, so nothing may cache it.
  app.get('/v1/attestation', async (req, res, next) => {
    try {
      const answer = await deps.attestation.handle({
        nonce: typeof req.query.nonce === 'string' ? req.query.nonce : undefined,
      });
      metrics.count('node_requests_total', {
        route: 'attestation',
        status: String(answer.status),
        reason: answer.status === 200 ? '' : answer.body.error,
      });
      res.set('Cache-Control', 'no-store');
      if (answer.status !== 200)
        return res.status(answer.status).json({ reason: answer.body.error, message: answer.body.message });
      return res.json(answer.body);
    } catch (error) {
      return next(error);
    }
  });

  // The birth certificate of a receipt key this node has had (see key-birth.ts): lets receipts signed before a restart
  // be verified after it. Immutable once made, so it may be cached.
  app.get('/v1/attestation/keys/:signer', (req, res) => {
    const document = deps.keyAttestations.documentOf(String(req.params.signer));
    metrics.count('node_requests_total', { route: 'key_attestation', status: document ? '200' : '404', reason: '' });
    if (!document)
      return res
        .status(404)
        .json({ reason: 'unknown_signer', message: `no receipt key ${req.params.signer} on this node` });
    return res.json({ format: 'aws-nitro-cose-sign1', document: Buffer.from(document).toString('base64') });
  });

  // 202 while the proof is being made, 200 with the bundle, 500 with the failure, 404 for a receipt never proved.
  // `?waitMs=` holds a 202 up to that long (longer asks are held MAX_PROOF_WAIT_MS) and answers the moment the proof is
  // done: a verifier long-polls instead of asking every few hundred milliseconds while the proof waits for spare CPU.
  app.get('/v1/receipts/:id/proof', async (req, res, next) => {
    const wait = ProofWaitQuerySchema.safeParse(req.query.waitMs);
    if (!wait.success)
      return next(new NodeRequestError('malformed_query', `waitMs: ${wait.error.issues[0]?.message ?? 'invalid'}`));
    const id = String(req.params.id);
    const key = deps.proofs.handle(id.toLowerCase()).status === 404 ? id : id.toLowerCase();
    let answer = deps.proofs.handle(key);
    if (answer.status === 202 && wait.data && !req.socket.destroyed && !deps.closing?.aborted) {
      // One signal per held poll, ended by the poller leaving or the node closing; the listener on the node's signal
      // is removed again (AbortSignal.any would leave one entry per poll on it for the node's lifetime).
      const held = new AbortController();
      const release = () => held.abort();
      res.once('close', release);
      deps.closing?.addEventListener('abort', release, { once: true });
      try {
        await deps.proofs.settled(key, wait.data, held.signal);
      } finally {
        deps.closing?.removeEventListener('abort', release);
      }
      if (req.socket.destroyed) return undefined; // the poller left while its poll was held
      answer = deps.proofs.handle(key);
    }
    // A node shutting down answers on a connection it then closes: a keep-alive poller would otherwise hold the
    // server's close open by asking again on the same socket.
    if (deps.closing?.aborted) res.set('Connection', 'close');
    metrics.count('node_requests_total', { route: 'proof', status: String(answer.status), reason: '' });
    return res.status(answer.status).json(answer.body);
  });

  app.get('/healthz', (_req, res) =>
    res.json({ status: 'ok', nodeId: deps.nodeId, signer: deps.signerAddress, settlementMode: deps.mode }),
  );
  app.get('/metrics', metricsRoute(metrics));

  app.use(async (error: Error & { type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const tooLarge = bodyTooLargeAnswer(error);
    if (tooLarge) {
      metrics.count('node_requests_total', { route: 'infer', status: '413', reason: tooLarge.body.reason });
      return res.status(tooLarge.status).json(tooLarge.body);
    }
    const refusal =
      error instanceof NodeRequestError
        ? error
        : error.type === 'entity.parse.failed'
          ? new NodeRequestError('malformed_body', 'the body is not valid JSON')
          : undefined;
    if (!refusal) {
      logger.error({ err: error, path: req.path }, 'request failed');
      return res.status(500).json({ reason: 'internal_error', message: error.message });
    }
    metrics.count('node_requests_total', {
      route: req.path.startsWith('/v1/receipts') ? 'receipt' : 'infer',
      status: String(refusal.status),
      reason: refusal.reason,
    });
    if (refusal.status === 402 && typeof res.locals.modelId === 'string') {
      // x402 v2: every 402 names what would be accepted, with the reason in PAYMENT-REQUIRED's `error`.
      try {
        const offered = await deps.gate.requirementsFor(deps.priceOf(res.locals.modelId));
        res.set(
          'PAYMENT-REQUIRED',
          await deps.gate.paymentRequiredHeader(
            offered,
            `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
            refusal.reason,
          ),
        );
        res.set('Cache-Control', 'no-store');
      } catch (headerError) {
        logger.warn({ err: headerError }, 'could not build PAYMENT-REQUIRED');
      }
    }
    if (refusal.status >= 500) logger.warn({ reason: refusal.reason, message: refusal.message }, 'request refused');
    return res.status(refusal.status).json({
      reason: refusal.reason,
      message: refusal.message,
      ...(refusal.details !== undefined && { details: refusal.details }),
    });
  });
  return app;
}
