// The process's OpenTelemetry tracer provider, set up once from configuration. Off by default: nothing is registered
// and the OTel API hands out its no-op tracer, so every span helper in this module costs a function call.
// On: a NodeTracerProvider (AsyncLocalStorage context, W3C traceparent/baggage propagators) exporting over OTLP/HTTP
// or to the console; tests pass their own exporter (InMemorySpanExporter) and get each span as soon as it ends.
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { EngineConfig } from '../config';

/** The tracer name of the engine's own spans (Temporal's interceptors use their own). */
export const TRACER_NAME = 'proofpath';

export type Tracing = {
  readonly enabled: true;
  readonly serviceName: string;
  /** Where spans end up; the worker also feeds it the spans its workflows report through the Temporal sink. */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters the provider (the process, or a test, may start tracing again afterwards). */
  shutdown(): Promise<void>;
};

export type TracingOptions = {
  /** Export to this exporter instead of the configured one, span by span (tests: InMemorySpanExporter). */
  exporter?: SpanExporter;
};

let active: Tracing | undefined;

/** The tracing this process started, or undefined when tracing is off. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * Starts tracing for one process (`component` names it: worker, bridge, node...). Returns undefined, registering
 * nothing, when PROOFPATH_TRACING=off and no exporter is passed. One provider per process: a second call returns the
 * first tracing (under `proofpath start`, every component of the process shares it).
 */
export function startTracing(
  config: EngineConfig,
  component: string,
  options: TracingOptions = {},
): Tracing | undefined {
  if (active) return active;
  const { tracing, otlpEndpoint } = config.observability;
  if (tracing === 'off' && !options.exporter) return undefined;
  const serviceName = config.observability.serviceName ?? `proofpath-${component}`;
  const resource = new Resource({
    [ATTR_SERVICE_NAME]: serviceName,
    'service.namespace': 'proofpath',
    'proofpath.component': component,
  });
  const spanProcessor: SpanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : tracing === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context + baggage propagators globally.
  provider.register();
  const started: Tracing = {
    enabled: true,
    serviceName,
    spanProcessor,
    resource,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      if (active !== started) return;
      active = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = started;
  return started;
}
