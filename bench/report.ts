// Shared shape of benchmark results, a timing helper, and the markdown renderer used by bench/main.ts.

export type BenchRow = { name: string; p50Ms: number; p99Ms: number; opsPerSec?: number; note?: string };
export type BenchSection = { title: string; rows: BenchRow[] };

export type Timing = { p50Ms: number; p99Ms: number; meanMs: number; samplesMs: number[] };

/** Nearest-rank percentile of ascending samples. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank]!;
}

/** Times `fn` sequentially; `between` (untimed) runs after each timed call, e.g. to let background work finish. */
export async function timeIterations(
  fn: () => unknown,
  iterations: number,
  warmup = Math.min(50, iterations),
  between?: () => Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samplesMs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samplesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    await between?.();
  }
  return timingOf(samplesMs);
}

/** p50, p99 and mean of samples in the order taken (kept as `samplesMs`). */
export function timingOf(samplesMs: number[]): Timing {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const meanMs = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), meanMs, samplesMs };
}

/**
 * Times several cases in turns (a, b, a, b, ...), so that a load swing on a shared machine falls on every case alike:
 * ratios between cases of one call are fair even when the absolute times drift.
 */
export async function timeInterleaved<K extends string>(
  cases: Record<K, () => unknown>,
  iterations: number,
  warmup = Math.min(20, iterations),
): Promise<Record<K, Timing>> {
  const names = Object.keys(cases) as K[];
  for (let i = 0; i < warmup; i++) for (const name of names) await cases[name]();
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < iterations; i++)
    for (const name of names) {
      const start = process.hrtime.bigint();
      await cases[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  return Object.fromEntries(names.map((name) => [name, timingOf(samples[name])])) as Record<K, Timing>;
}

const fixed = (n: number | undefined, digits: number) => (n === undefined ? '' : n.toFixed(digits));

export function renderMarkdown(section: BenchSection): string {
  const lines = [`### ${section.title}`, '', '| case | p50 ms | p99 ms | ops/s | note |', '|---|---:|---:|---:|---|'];
  for (const r of section.rows) {
    lines.push(
      `| ${r.name} | ${fixed(r.p50Ms, 3)} | ${fixed(r.p99Ms, 3)} | ${fixed(r.opsPerSec, 0)} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}
