// The engine's own spans: one helper that runs a function inside a span (error status and exception recorded, always
// ended), and one that carries the current trace context into work that runs later (queues, 'close' listeners).
import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type SpanKind,
  type Tracer,
} from '@opentelemetry/api';
import { activeTracing, TRACER_NAME } from './tracing';

/** The engine's tracer; the API's no-op tracer while tracing is off. Looked up per use: tests start and stop tracing. */
export function engineTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

export type SpanOptions = { kind?: SpanKind; attributes?: Attributes };

/** Runs `fn` in a new span, child of the active one. A thrown error marks the span failed and is rethrown. */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!activeTracing()) return fn(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return engineTracer().startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function markFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Binds `fn` to the trace context active now, so work it does later (a settlement after the answer, a verification
 * job after the 202) stays in the trace of the request that caused it. The function itself when tracing is off.
 */
export function keepTraceContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return activeTracing() ? context.bind(context.active(), fn) : fn;
}
