// CPU per decision at load, per process, for every process a decision uses: the lane's own (node with its prover,
// worker, bridge, verifier), the shared ones (facilitator, ERP/TMS), the run's chain and the stack's Temporal and Kafka.
// Metered only over the lane's own blocks (the light turns and the load steps, each until its verdicts are in), so a
// process's start-up, its idle time during the other lane's turns and the warm-up are left out: the figure is the
// marginal cost of a decision, the one that sets where a lane saturates. Lanes run in turns, so what a shared process
// spends during a lane's block is that lane's (a deferred settlement that runs past its block's verdicts, at most
// PAYMENT_SETTLE_MAX_DEFER_MS later, is counted in the next block: the first lane's cost can leak into the second's;
// so does the rest of a saturated step whose verdicts were not all in when its wait ended). The denominator is the
// decisions offered in the blocks.
import type { EngineConfig } from '../../src/config';
import { readPid } from '../../src/devstack/process';
import { stackPaths } from '../../src/devstack/stack';
import { readChildrenUsage, readOwnCpuSeconds, readUsage } from './processes';

/**
 * A process measured by PID: with its live descendants (as readUsage does), alone (`own`), or only its descendants
 * (`children`: the node's prover process, metered apart from the node because it runs at another priority).
 */
export type CpuSource = { name: string; pid: number; part?: 'own' | 'children' };

function cpuSecondsOf(source: CpuSource): number | undefined {
  if (source.part === 'own') return readOwnCpuSeconds(source.pid);
  if (source.part === 'children')
    return readOwnCpuSeconds(source.pid) === undefined ? undefined : readChildrenUsage(source.pid).cpuSeconds;
  return readUsage(source.pid)?.cpuSeconds;
}

export type MarginalCpu = {
  /** Decisions offered in the metered blocks. */
  decisions: number;
  /** CPU milliseconds per decision, per process. */
  perProcessMs: Record<string, number>;
  totalMs: number;
};

/** The embedded stack's Temporal and Kafka, from their PID files (absent when the stack runs elsewhere). */
export function stackSources(config: EngineConfig): CpuSource[] {
  return (['temporal', 'kafka'] as const).flatMap((service) => {
    const pid = readPid(stackPaths(config, service).pidFile);
    return pid === undefined ? [] : [{ name: service, pid }];
  });
}

/** Accumulates the CPU the given processes spend inside metered blocks, and the decisions those blocks offered. */
export class CpuMeter {
  private readonly spentSeconds = new Map<string, number>();
  private decisions = 0;

  constructor(private readonly sources: () => CpuSource[]) {}

  /** Runs one block of `decisions` decisions (until its verdicts are in) and adds what every source spent in it. */
  async measure<T>(decisions: number, block: () => Promise<T>): Promise<T> {
    const sources = this.sources();
    const before = sources.map(cpuSecondsOf);
    const result = await block();
    sources.forEach((source, i) => {
      const start = before[i];
      const end = cpuSecondsOf(source);
      // A process that ended (or started) inside the block cannot be metered for it.
      if (start === undefined || end === undefined) return;
      // A child that ended inside the block takes its CPU with it (children are read live): never a negative share.
      this.spentSeconds.set(source.name, (this.spentSeconds.get(source.name) ?? 0) + Math.max(0, end - start));
    });
    this.decisions += decisions;
    return result;
  }

  result(): MarginalCpu {
    const perProcessMs: Record<string, number> = {};
    for (const [name, seconds] of this.spentSeconds)
      perProcessMs[name] = this.decisions > 0 ? Math.round((1000 * seconds) / this.decisions) : Number.NaN;
    const totalMs = Object.values(perProcessMs).reduce((sum, ms) => sum + ms, 0);
    return { decisions: this.decisions, perProcessMs, totalMs };
  }
}
