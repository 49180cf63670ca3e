// A process's Prometheus metrics (prom-client, one registry per process part): counters and latency histograms in
// milliseconds, created on first use with the label names of that use. Benchmarks also read the latest raw
// observations of a histogram, which a Prometheus histogram does not keep.
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type Labels = Record<string, string>;
const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const RAW_KEPT = 10_000;

export type Metrics = {
  count(name: string, labels?: Labels, by?: number): void;
  observeMs(name: string, ms: number, labels?: Labels): void;
  /** Raw observations of one histogram (last 10,000), for benchmarks. */
  samples(name: string): number[];
  /** The exposition text (format 0.0.4) and its content type. */
  render(): Promise<{ contentType: string; text: string }>;
};

export type MetricsOptions = {
  /** HELP text per metric name. */
  help?: Record<string, string>;
  /** Also export the Node.js process metrics (CPU, memory, event loop lag): once per process, not per component. */
  processMetrics?: boolean;
};

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const help = options.help ?? {};
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter>();
  const histograms = new Map<string, Histogram>();
  const raw = new Map<string, number[]>();
  const helpOf = (name: string) => help[name] ?? name.replace(/_/g, ' ');

  return {
    count(name, labels = {}, by = 1) {
      let counter = counters.get(name);
      if (!counter) {
        counter = new Counter({ name, help: helpOf(name), labelNames: Object.keys(labels), registers: [registry] });
        counters.set(name, counter);
      }
      counter.inc(labels, by);
    },
    observeMs(name, ms, labels = {}) {
      let histogram = histograms.get(name);
      if (!histogram) {
        histogram = new Histogram({ name, help: helpOf(name), labelNames: Object.keys(labels), buckets: BUCKETS_MS, registers: [registry] });
        histograms.set(name, histogram);
      }
      histogram.observe(labels, ms);
      const list = raw.get(name) ?? [];
      list.push(ms);
      if (list.length > RAW_KEPT) list.shift();
      raw.set(name, list);
    },
    samples: (name) => [...(raw.get(name) ?? [])],
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

/** GET /metrics of an HTTP process: the exposition text with its content type. */
export function metricsRoute(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    const { contentType, text } = await metrics.render();
    res.type(contentType).send(text);
  };
}
