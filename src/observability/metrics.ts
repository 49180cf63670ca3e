// A process's Prometheus metrics (prom-client, one registry per process part): counters, gauges and latency histograms
// in milliseconds, created on first use with the label names of that use. Benchmarks also read the latest raw
// observations of a histogram, which a Prometheus histogram does not keep.
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type Labels = Record<string, string>;
/** Request-scale latencies (an HTTP call, a settlement). */
export const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
/** Decision-scale latencies: a fast path of a few hundred ms up to verdicts that wait minutes for a zkML proof. */
export const LONG_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000];
const RAW_KEPT = 10_000;

export type Metrics = {
  count(name: string, labels?: Labels, by?: number): void;
  observeMs(name: string, ms: number, labels?: Labels): void;
  /** Sets a gauge (a value that goes up and down, e.g. consumer lag). */
  set(name: string, value: number, labels?: Labels): void;
  /** Drops every labelled value of a gauge, so series that no longer exist (a partition moved away) stop exporting. */
  resetGauge(name: string): void;
  /** Runs before each render: for values read on scrape (lag from the broker) rather than pushed as they happen. */
  addCollector(collect: () => Promise<void>): void;
  /** Raw observations of one histogram (last 10,000), for benchmarks. */
  samples(name: string): number[];
  /** The exposition text (format 0.0.4) and its content type. */
  render(): Promise<{ contentType: string; text: string }>;
};

export type MetricsOptions = {
  /** HELP text per metric name. */
  help?: Record<string, string>;
  /** Histogram buckets per metric name (default: BUCKETS_MS). */
  buckets?: Record<string, number[]>;
  /** Also export the Node.js process metrics (CPU, memory, event loop lag): once per process, not per component. */
  processMetrics?: boolean;
};

/** Combines the HELP texts and buckets of several metric families (a process exporting decision and lag metrics). */
export function combineMetricsOptions(...parts: MetricsOptions[]): MetricsOptions {
  return {
    help: Object.assign({}, ...parts.map((p) => p.help)),
    buckets: Object.assign({}, ...parts.map((p) => p.buckets)),
    processMetrics: parts.some((p) => p.processMetrics),
  };
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const help = options.help ?? {};
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter>();
  const gauges = new Map<string, Gauge>();
  const histograms = new Map<string, Histogram>();
  const raw = new Map<string, number[]>();
  const collectors: Array<() => Promise<void>> = [];
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
        histogram = new Histogram({
          name,
          help: helpOf(name),
          labelNames: Object.keys(labels),
          buckets: options.buckets?.[name] ?? BUCKETS_MS,
          registers: [registry],
        });
        histograms.set(name, histogram);
      }
      histogram.observe(labels, ms);
      const list = raw.get(name) ?? [];
      list.push(ms);
      if (list.length > RAW_KEPT) list.shift();
      raw.set(name, list);
    },
    set(name, value, labels = {}) {
      let gauge = gauges.get(name);
      if (!gauge) {
        gauge = new Gauge({ name, help: helpOf(name), labelNames: Object.keys(labels), registers: [registry] });
        gauges.set(name, gauge);
      }
      gauge.set(labels, value);
    },
    resetGauge(name) {
      gauges.get(name)?.reset();
    },
    addCollector(collect) {
      collectors.push(collect);
    },
    samples: (name) => [...(raw.get(name) ?? [])],
    async render() {
      // A collector that fails leaves its last values in place: a scrape must not fail because Kafka is slow.
      await Promise.allSettled(collectors.map((collect) => collect()));
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
