// The metrics of a process without an HTTP server of its own (worker, bridge): its registry (with the Node.js process
// metrics) and, unless its configured port is 0, the listener that serves it at GET /metrics.
import type { Logger } from '../log';
import { combineMetricsOptions, createMetrics, type Metrics, type MetricsOptions } from './metrics';
import { startMetricsServer } from './metrics-server';

export type ProcessMetrics = { metrics: Metrics; url?: string; close(): Promise<void> };

export async function startProcessMetrics(options: {
  component: string;
  host: string;
  port: number;
  logger: Logger;
  families: MetricsOptions[];
}): Promise<ProcessMetrics> {
  const metrics = createMetrics(combineMetricsOptions({ processMetrics: true }, ...options.families));
  if (options.port === 0) return { metrics, close: async () => {} };
  const server = await startMetricsServer({
    metrics,
    host: options.host,
    port: options.port,
    logger: options.logger,
    component: options.component,
  });
  return { metrics, url: server.url, close: () => server.close() };
}
