// Runs lanes in turns: every lane's processes are started, then the light phase is offered in blocks, one lane after
// the other (the order alternating per block), and each offered-load step likewise. On a machine shared with other
// work whose load swings within minutes, lanes measured back to back see different machines; in turns they see the
// same one, so the ratios between them hold. Each block waits for its verdicts before the next lane's block: a lane
// pays for its own verification (the verdicts of a block overlap its next decisions), never for another lane's.
import type { Logger } from '../../src/log';
import {
  breakdownOf,
  startLane,
  type BenchEnvironment,
  type LaneKind,
  type LanePlan,
  type LaneResult,
  type StartedLane,
} from './lanes';
import { latencyOf, type StepResult } from './load';
import { CpuMeter, type CpuSource } from './meter';

export async function runLanesInTurns(
  environment: BenchEnvironment,
  lanes: LaneKind[],
  plan: LanePlan,
  logger: Logger,
  progress: (line: string) => void,
): Promise<LaneResult[]> {
  const started: StartedLane[] = [];
  try {
    // One after another: starting processes is CPU-heavy (bundling, module loading) and would slow the others' start.
    for (const lane of lanes) started.push(await startLane(environment, lane, logger, progress));
    const meters = new Map<StartedLane, CpuMeter>(
      started.map((lane) => [lane, new CpuMeter(() => [...laneSources(lane), ...environment.cpuSources])]),
    );
    for (const lane of started) {
      progress(`${lane.lane}: warm-up (${plan.warmup} decisions)`);
      await lane.observer.offer(2, plan.warmup, plan.settleMs);
      await lane.observer.awaitVerdicts(plan.verdictWaitMs);
    }

    const lightIds = new Map<StartedLane, string[]>(started.map((l) => [l, []]));
    const turns = Math.max(1, plan.light.turns);
    for (let turn = 0; turn < turns; turn++) {
      const count = Math.round(plan.light.count / turns);
      for (const lane of turn % 2 === 0 ? started : [...started].reverse()) {
        progress(`${lane.lane}: light load, turn ${turn + 1}/${turns}: ${count} decisions at ${plan.light.perSec}/s`);
        const ids = await meters.get(lane)!.measure(count, async () => {
          const offered = await lane.observer.offer(plan.light.perSec, count, plan.settleMs);
          await lane.observer.awaitVerdicts(plan.verdictWaitMs);
          return offered.ids;
        });
        lightIds.get(lane)!.push(...ids);
      }
    }

    const steps = new Map<StartedLane, StepResult[]>(started.map((l) => [l, []]));
    const loadIds = new Map<StartedLane, string[]>(started.map((l) => [l, []]));
    const saturated = new Set<StartedLane>();
    for (const perSec of plan.steps) {
      for (const lane of started) {
        if (saturated.has(lane)) continue;
        const count = Math.max(2, Math.round(perSec * plan.stepSeconds));
        await meters.get(lane)!.measure(count, async () => {
          const offered = await lane.observer.offer(perSec, count, plan.settleMs);
          loadIds.get(lane)!.push(...offered.ids);
          progress(
            `${lane.lane}: offered ${perSec}/s -> ${offered.step.actedPerSec.toFixed(1)} acted/s, fast path p50 ${offered.step.fastPath.p50Ms.toFixed(0)} ms p99 ${offered.step.fastPath.p99Ms.toFixed(0)} ms${offered.step.actsBehind ? ' (fast path saturated)' : ''}`,
          );
          // The next lane's step must not run beside this one's verification backlog.
          progress(`${lane.lane}: waiting (at most ${plan.verdictWaitMs / 1000} s) for the verdicts of the step`);
          await lane.observer.awaitVerdicts(plan.verdictWaitMs);
          const step = lane.observer.judge(offered.step, offered.actedIds);
          steps.get(lane)!.push(step);
          progress(
            `${lane.lane}: offered ${perSec}/s -> ${step.verdictsPerSec.toFixed(1)} judged/s (${step.verdicts} of ${step.acted} acted), ${step.completedPerSec.toFixed(1)} completed/s${step.verdictsBehind ? ' (verification saturated)' : ''}`,
          );
          if (step.saturated) saturated.add(lane);
        });
      }
      if (saturated.size === started.length) break;
    }

    const results: LaneResult[] = [];
    for (const lane of started) {
      const { observer } = lane;
      const ids = lightIds.get(lane)!;
      const breakdown = await breakdownOf(lane.config, observer, ids).catch((error: unknown) => {
        logger.warn({ err: error, lane: lane.lane }, 'fast-path breakdown unavailable');
        return [];
      });
      const laneSteps = steps.get(lane)!;
      results.push({
        lane: lane.lane,
        fastPath: observer.fastPathOf(ids),
        fastPathBreakdown: breakdown,
        steps: laneSteps,
        sustainedPerSec: Math.max(0, ...laneSteps.map((s) => s.completedPerSec)),
        fastPathOnlyPerSec: Math.max(0, ...laneSteps.map((s) => s.actedPerSec)),
        timeToVerdict: {
          light: observer.timeToVerdictOf(ids),
          underLoad: observer.timeToVerdictOf(loadIds.get(lane)!),
        },
        checksMs: {
          attestation: latencyOf(observer.checks.attestation),
          proof: latencyOf(observer.checks.proof),
          reexecution: latencyOf(observer.checks.reexecution),
        },
        backlog: observer.backlog,
        outcomes: observer.outcomes(),
        decisions: observer.decisions.size,
        processes: lane.processes.map((p) => p.usage()),
        marginalCpu: meters.get(lane)!.result(),
        wallSeconds: (Date.now() - lane.startedAt) / 1000,
        inTurnsWith: started.filter((l) => l !== lane).map((l) => l.lane),
      });
    }
    return results;
  } finally {
    await Promise.all(started.map((l) => l.stop()));
  }
}

/** A lane's own processes; a node is metered apart from its prover process (nice 19). */
function laneSources(lane: StartedLane): CpuSource[] {
  return lane.processes.flatMap((p): CpuSource[] => {
    const pid = p.child.pid as number;
    if (!p.name.startsWith('node')) return [{ name: p.name, pid }];
    return [
      { name: p.name, pid, part: 'own' },
      { name: `${p.name} prover`, pid, part: 'children' },
    ];
  });
}
