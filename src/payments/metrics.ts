// A minimal Prometheus registry (text exposition format 0.0.4): counters and fixed-bucket histograms with labels.
// Hand-rolled to avoid a dependency for a few series; `prom-client` can replace it behind the same calls.

type Labels = Record<string, string>;
const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

function labelKey(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

export type Metrics = {
  count(name: string, labels?: Labels, by?: number): void;
  observeMs(name: string, ms: number, labels?: Labels): void;
  /** Raw observations of one histogram (last 10,000), for benchmarks. */
  samples(name: string): number[];
  render(): string;
};

export function createMetrics(help: Record<string, string> = {}): Metrics {
  const counters = new Map<string, Map<string, number>>();
  const histograms = new Map<string, Map<string, { buckets: number[]; sum: number; count: number }>>();
  const raw = new Map<string, number[]>();

  return {
    count(name, labels = {}, by = 1) {
      const series = counters.get(name) ?? new Map<string, number>();
      counters.set(name, series);
      const key = labelKey(labels);
      series.set(key, (series.get(key) ?? 0) + by);
    },
    observeMs(name, ms, labels = {}) {
      const series = histograms.get(name) ?? new Map();
      histograms.set(name, series);
      const key = labelKey(labels);
      const h = series.get(key) ?? { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 };
      BUCKETS_MS.forEach((upper, i) => { if (ms <= upper) h.buckets[i] = (h.buckets[i] ?? 0) + 1; });
      h.sum += ms;
      h.count += 1;
      series.set(key, h);
      const list = raw.get(name) ?? [];
      list.push(ms);
      if (list.length > 10_000) list.shift();
      raw.set(name, list);
    },
    samples: (name) => [...(raw.get(name) ?? [])],
    render() {
      const lines: string[] = [];
      const withLabels = (name: string, key: string, extra?: string) => {
        const all = [key, extra].filter((s) => s).join(',');
        return all ? `${name}{${all}}` : name;
      };
      for (const [name, series] of counters) {
        if (help[name]) lines.push(`# HELP ${name} ${help[name]}`);
        lines.push(`# TYPE ${name} counter`);
        for (const [key, value] of series) lines.push(`${withLabels(name, key)} ${value}`);
      }
      for (const [name, series] of histograms) {
        if (help[name]) lines.push(`# HELP ${name} ${help[name]}`);
        lines.push(`# TYPE ${name} histogram`);
        for (const [key, h] of series) {
          BUCKETS_MS.forEach((upper, i) => lines.push(`${withLabels(`${name}_bucket`, key, `le="${upper}"`)} ${h.buckets[i]}`));
          lines.push(`${withLabels(`${name}_bucket`, key, 'le="+Inf"')} ${h.count}`);
          lines.push(`${withLabels(`${name}_sum`, key)} ${h.sum}`);
          lines.push(`${withLabels(`${name}_count`, key)} ${h.count}`);
        }
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
