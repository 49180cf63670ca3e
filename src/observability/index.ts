// Public surface of observability: the process's tracing (OpenTelemetry), trace propagation over HTTP, Kafka and
// Temporal, and the Prometheus metrics each process serves at GET /metrics.
export { activeTracing, startTracing, TRACER_NAME, type Tracing, type TracingOptions } from './tracing';
export { engineTracer, inSpan, keepTraceContext, markFailed, type SpanOptions } from './spans';
export { traceHeaders, tracedFetch, traceIncoming, traceRequests } from './http-propagation';
export { processTraced, sendTraced } from './kafka-propagation';
export { temporalClientInterceptors, TRACING_WORKFLOW_MODULES, workerTracing } from './temporal-tracing';
export {
  BUCKETS_MS,
  combineMetricsOptions,
  createMetrics,
  LONG_BUCKETS_MS,
  metricsRoute,
  type Metrics,
  type MetricsOptions,
} from './metrics';
export { startMetricsServer, type MetricsServer } from './metrics-server';
export { startProcessMetrics, type ProcessMetrics } from './process-metrics';
export {
  createDecisionMetricsRecorder,
  DECISION_METRICS,
  DECISION_METRICS_OPTIONS,
  type DecisionMetricsRecorder,
} from './decision-metrics';
export { recordVerdict, VERIFICATION_METRICS, VERIFICATION_METRICS_OPTIONS } from './verification-metrics';
export { ACTIVITY_METRICS, ACTIVITY_METRICS_OPTIONS, activityMetricsInterceptor } from './activity-metrics';
export { KAFKA_METRICS, KAFKA_METRICS_OPTIONS } from './kafka-metrics';
