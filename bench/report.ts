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

/** Runs `fn` `warmup` times untimed, then `iterations` times timed one by one. */
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
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const meanMs = samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length;
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), meanMs, samplesMs };
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
