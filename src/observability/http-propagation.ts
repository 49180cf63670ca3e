// Trace context over HTTP (W3C Trace Context: the `traceparent`/`tracestate` headers): a fetch that opens a CLIENT
// span and injects its context, and a SERVER span around an incoming request (node:http or express) that continues
// the caller's trace. Span names and attributes follow the OTel HTTP semantic conventions (method, then route).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { leanFetch } from '../http-client';
import { engineTracer, markFailed } from './spans';
import { activeTracing } from './tracing';

/** The trace headers of the active context (empty when tracing is off or nothing is being traced). */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  if (activeTracing()) propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Wraps a fetch: each request runs in a CLIENT span (`POST`, `GET`...) whose context travels in `traceparent`.
 * `peerService` names the process called (inference-node, facilitator, verifier) on the span. The base is the engine's
 * lean fetch (src/http-client) unless a caller passes another.
 */
export function tracedFetch(base: typeof fetch = leanFetch, peerService?: string): typeof fetch {
  return async (input, init) => {
    if (!activeTracing()) return base(input, init);
    // Headers are injected into a copy of the call's own (no Request is built: the base may be cheaper without one).
    const isRequest = input instanceof Request;
    const url = new URL(isRequest ? input.url : input instanceof URL ? input.href : input);
    const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
    const span = engineTracer().startSpan(method, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'url.full': `${url.origin}${url.pathname}`,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        ...(peerService && { 'peer.service': peerService }),
      },
    });
    const active = trace.setSpan(context.active(), span);
    const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    propagation.inject(active, headers, { set: (carrier, key, value) => carrier.set(key, value) });
    try {
      const response = await context.with(active, () => base(input, { ...init, headers }));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
      return response;
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
}

/**
 * Runs `handle` inside a SERVER span continuing the trace of the request's `traceparent`. The span ends when the
 * response is finished (or the connection closes); `routeOf` names the matched route then (`/v1/jobs`).
 */
export function traceIncoming(
  req: IncomingMessage,
  res: ServerResponse,
  routeOf: () => string | undefined,
  handle: () => void,
): void {
  if (!activeTracing()) return handle();
  const parent = propagation.extract(context.active(), req.headers);
  const method = req.method ?? 'GET';
  const span = engineTracer().startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': (req.url ?? '/').split('?')[0],
        ...(req.socket.localPort && { 'server.port': req.socket.localPort }),
      },
    },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = routeOf();
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), handle);
}

/** Express middleware: a SERVER span per request, named by the matched route (`POST /v1/models/:modelId/infer`). */
export function traceRequests(): RequestHandler {
  return (req, res, next) =>
    traceIncoming(
      req,
      res,
      () => (req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : undefined),
      () => next(),
    );
}
