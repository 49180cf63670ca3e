// The end-to-end benchmark: the blind-trust baseline and the verifiable fast path per settlement mode, one lane after
// another in one run, with the ratios the goals are stated in (verifiable over baseline, same run, same machine).
import type { Logger } from '../../src/log';
import { prepareEnvironment, type LaneKind, type LanePlan, type LaneResult } from './lanes';
import type { CpuSource } from './meter';
import type { ProcessUsage } from './processes';
import { runLanesInTurns } from './turns';

export type EndToEndResult = {
  plan: LanePlan;
  lanes: LaneResult[];
  sharedProcesses: ProcessUsage[];
  fastPath: { p50Ratio: number; p90Ratio: number; p99Ratio: number; comparedMode: LaneKind };
  /** Sustained decisions acted on and judged per second (verification keeping up), verifiable over baseline. */
  throughputRatio: number;
  /** The fast path's rate alone (verification allowed to fall behind), verifiable over baseline. */
  fastPathThroughputRatio: number;
  timeToVerdict: { p50Ms: number; p99Ms: number; underLoadP99Ms: number; mode: LaneKind };
};

export const FULL_PLAN: LanePlan = {
  warmup: 3,
  light: { perSec: 0.5, count: 15, turns: 3 },
  steps: [1, 2, 4, 8, 16],
  stepSeconds: 10,
  settleMs: 40_000,
  verdictWaitMs: 60_000,
};
export const QUICK_PLAN: LanePlan = {
  warmup: 2,
  light: { perSec: 0.5, count: 8, turns: 2 },
  steps: [1, 2, 4],
  stepSeconds: 5,
  settleMs: 30_000,
  verdictWaitMs: 30_000,
};

// The light phase is well under capacity (a loaded 2-core machine managed under 1 decision/s), so its latencies are the
// fast path's own, not queueing; the steps find the capacity.

/** The verifiable mode the ratios compare: deferred, the default (answer once the payment verifies, settle after). */
const COMPARED: LaneKind = 'deferred';

export async function benchEndToEnd(options: {
  lanes: LaneKind[];
  plan: LanePlan;
  logger: Logger;
  progress: (line: string) => void;
  /** Processes outside the lanes to meter with them (the run's chain). */
  cpuSources?: CpuSource[];
}): Promise<EndToEndResult> {
  const environment = await prepareEnvironment(options.logger, options.cpuSources);
  const lanes: LaneResult[] = [];
  let sharedProcesses: ProcessUsage[] = [];
  try {
    // The baseline and the compared mode, whose ratios are the goals, are measured in turns; other lanes each alone.
    const paired = options.lanes.includes('baseline') && options.lanes.includes(COMPARED) ? ['baseline', COMPARED] : [];
    const run = (kinds: LaneKind[]) =>
      runLanesInTurns(environment, kinds, options.plan, options.logger, options.progress);
    if (paired.length > 0) lanes.push(...(await run(paired as LaneKind[])));
    for (const lane of options.lanes.filter((l) => !paired.includes(l))) lanes.push(...(await run([lane])));
  } finally {
    sharedProcesses = await environment.close();
  }
  const baseline = lanes.find((l) => l.lane === 'baseline');
  const verifiable = lanes.find((l) => l.lane === COMPARED) ?? lanes.find((l) => l.lane !== 'baseline');
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? a / b : Number.NaN;
  return {
    plan: options.plan,
    lanes,
    sharedProcesses,
    fastPath: {
      p50Ratio: ratio(verifiable?.fastPath.p50Ms, baseline?.fastPath.p50Ms),
      p90Ratio: ratio(verifiable?.fastPath.p90Ms, baseline?.fastPath.p90Ms),
      p99Ratio: ratio(verifiable?.fastPath.p99Ms, baseline?.fastPath.p99Ms),
      comparedMode: verifiable?.lane ?? COMPARED,
    },
    throughputRatio: ratio(verifiable?.sustainedPerSec, baseline?.sustainedPerSec),
    fastPathThroughputRatio: ratio(verifiable?.fastPathOnlyPerSec, baseline?.fastPathOnlyPerSec),
    timeToVerdict: {
      p50Ms: verifiable?.timeToVerdict.light.p50Ms ?? Number.NaN,
      p99Ms: verifiable?.timeToVerdict.light.p99Ms ?? Number.NaN,
      underLoadP99Ms: verifiable?.timeToVerdict.underLoad.p99Ms ?? Number.NaN,
      mode: verifiable?.lane ?? COMPARED,
    },
  };
}
