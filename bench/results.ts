// The whole benchmark run as one JSON document (--json), the goals it is judged against, and the machine it ran on.
import os from 'node:os';
import type { EndToEndResult } from './e2e/index';
import type { ProcessUsage } from './e2e/processes';
import type { BenchSection } from './report';

export type Machine = {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
};
export type Goal = { name: string; target: string; value: number; unit: string; met: boolean | null };

export type BenchResults = {
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  machine: Machine;
  fastPath?: EndToEndResult['fastPath'] & {
    baselineP50Ms: number;
    baselineP99Ms: number;
    verifiableP50Ms: number;
    verifiableP99Ms: number;
  };
  throughputRatio?: number;
  fastPathThroughputRatio?: number;
  timeToVerdict?: EndToEndResult['timeToVerdict'];
  /** Paid deferred request p50 over the unpaid (price-0) request p50, same node code, same run. */
  paidOverUnpaid?: number;
  goals: Goal[];
  /** The run's own anvil (bench/chain.ts): CPU and peak memory over the whole run, every lane and section together. */
  chain?: ProcessUsage;
  endToEnd?: EndToEndResult;
  sections: BenchSection[];
  /** Before/after figures of each speed-up, recorded by hand from runs under the same conditions (see README). */
  changes: Array<{ change: string; before: string; after: string }>;
};

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function paidOverUnpaidOf(sections: BenchSection[]): number | undefined {
  const rows = sections.flatMap((s) => s.rows);
  // The unpaid requests taken in turns with the paid ones when the run has them (older runs: the separate loop).
  const unpaid =
    rows.find((r) => r.name.startsWith('infer, unpaid, in turns')) ??
    rows.find((r) => r.name.startsWith('infer, unpaid'));
  const paid = rows.find((r) => r.name === 'infer, paid, deferred');
  return unpaid && paid ? paid.p50Ms / unpaid.p50Ms : undefined;
}

const judged = (value: number | undefined, ok: (v: number) => boolean): boolean | null =>
  value === undefined || !Number.isFinite(value) ? null : ok(value);

export function goalsOf(
  results: Pick<BenchResults, 'fastPath' | 'throughputRatio' | 'timeToVerdict' | 'paidOverUnpaid'>,
): Goal[] {
  const { fastPath, throughputRatio, timeToVerdict, paidOverUnpaid } = results;
  return [
    {
      name: 'fast-path p50, verifiable / blind trust',
      target: '<= 1.5x',
      value: fastPath?.p50Ratio ?? Number.NaN,
      unit: 'x',
      met: judged(fastPath?.p50Ratio, (v) => v <= 1.5),
    },
    {
      name: 'fast-path p99, verifiable / blind trust',
      target: '<= 2x',
      value: fastPath?.p99Ratio ?? Number.NaN,
      unit: 'x',
      met: judged(fastPath?.p99Ratio, (v) => v <= 2),
    },
    {
      name: 'sustained throughput (acted and judged, verdict backlog bounded), verifiable / blind trust',
      target: '>= 0.8x',
      value: throughputRatio ?? Number.NaN,
      unit: 'x',
      met: judged(throughputRatio, (v) => v >= 0.8),
    },
    {
      name: 'time to verdict p99 (zk proofs on, light load)',
      target: '< 15000 ms',
      value: timeToVerdict?.p99Ms ?? Number.NaN,
      unit: 'ms',
      met: judged(timeToVerdict?.p99Ms, (v) => v < 15_000),
    },
    {
      name: 'paid deferred request / unpaid request (p50)',
      target: '<= 3x',
      value: paidOverUnpaid ?? Number.NaN,
      unit: 'x',
      met: judged(paidOverUnpaid, (v) => v <= 3),
    },
  ];
}
