// The end-to-end lanes, each a set of engine processes on its own topics, task queue and state directory: the
// blind-trust baseline (price-0 node, no payment, no receipt journal, no proof, no verifier) and the verifiable fast
// path per settlement mode (individual, deferred, batch, escrow, channel). A lane runs alone (the lanes run one after
// another) unless it is measured in turns with the baseline, and is stopped with its backlog.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anvilAccounts, configToEnv, loadConfig, type EngineConfig } from '../../src/config';
import {
  deployContracts,
  ensureChannelContracts,
  ensureEscrowContracts,
  fundedDevelopmentKey,
  registerNodeOnRegistry,
  writeDeployment,
} from '../../src/chain';
import { privateKeyToAccount } from 'viem/accounts';
import type { ChainDeployment } from '../../src/contracts';
import { freeLocalPort } from '../../src/devstack/engine-process';
import { createKafka } from '../../src/kafka/client';
import { ensureTopics } from '../../src/kafka/topics';
import type { Logger } from '../../src/log';
import { LaneObserver, type BacklogSample, type CheckDurations, type Latency, type StepResult } from './load';
import { stackSources, type CpuSource, type MarginalCpu } from './meter';
import { startBenchProcess, type BenchProcess, type ProcessUsage } from './processes';
import { connectTemporalClient } from '../../src/decisions/temporal-client';
import { fastPathBreakdown, type BreakdownSegment } from './breakdown';

/**
 * The blind-trust baseline, one lane per settlement mode (PAYMENT_SETTLEMENT_MODE), and `deferred-x2`: the deferred
 * lane scaled out, two nodes (decisions spread), two workers and two bridges.
 */
export const LANE_KINDS = ['baseline', 'individual', 'deferred', 'batch', 'escrow', 'channel', 'deferred-x2'] as const;
export type LaneKind = (typeof LANE_KINDS)[number];

/** `--lanes a,b,c`, each checked: a misspelt lane is an error naming the lanes there are, not a lane that fails later. */
export function parseLanes(list: string): LaneKind[] {
  const lanes = list
    .split(',')
    .map((lane) => lane.trim())
    .filter(Boolean);
  const unknown = lanes.filter((lane) => !(LANE_KINDS as readonly string[]).includes(lane));
  if (unknown.length > 0 || lanes.length === 0)
    throw new Error(
      `--lanes: unknown lane(s) ${unknown.join(', ') || '(none given)'}; lanes: ${LANE_KINDS.join(', ')}`,
    );
  return lanes as LaneKind[];
}

export type LanePlan = {
  warmup: number;
  /** `count` decisions at `perSec`, offered in `turns` blocks (lanes run in turns take turns at each block). */
  light: { perSec: number; count: number; turns: number };
  steps: number[];
  stepSeconds: number;
  settleMs: number;
  verdictWaitMs: number;
};

export type LaneResult = {
  lane: LaneKind;
  fastPath: Latency;
  /** Where the light phase's fast paths spent their time, from the workflow histories (medians per segment). */
  fastPathBreakdown: BreakdownSegment[];
  steps: StepResult[];
  /** The best step's completedPerSec: decisions acted on and judged per second, with verification keeping up. */
  sustainedPerSec: number;
  /** The best step's actedPerSec alone: the fast path's rate when verification may fall behind (its own cores). */
  fastPathOnlyPerSec: number;
  timeToVerdict: { light: Latency; underLoad: Latency };
  checksMs: Record<keyof CheckDurations, Latency>;
  backlog: BacklogSample[];
  outcomes: { verified: number; rolledBack: number; failed: number; unfinished: number };
  /** Decisions offered in the lane (warm-up included): the denominator of CPU per decision. */
  decisions: number;
  processes: ProcessUsage[];
  /** CPU per decision of every process a decision uses, metered over the lane's own blocks only (bench/e2e/meter.ts). */
  marginalCpu: MarginalCpu;
  wallSeconds: number;
  /** The lanes this one was measured in turns with (its processes idle while theirs worked), if any. */
  inTurnsWith: LaneKind[];
};

export type BenchEnvironment = {
  config: EngineConfig;
  env: NodeJS.ProcessEnv;
  deployment: ChainDeployment;
  shared: BenchProcess[];
  /** Processes every lane uses besides its own (shared processes, the stack's services, the run's chain), metered per block. */
  cpuSources: CpuSource[];
  runTag: string;
  /** A second node's key, registered on the settlement registry, for the scaled-out lane. */
  secondNodeKey: `0x${string}`;
  close(): Promise<ProcessUsage[]>;
};

/**
 * Fresh keys and contracts on the run's chain, and the processes every lane shares: the facilitator and the ERP/TMS.
 * `extraCpuSources` (the run's chain) are metered with them.
 */
export async function prepareEnvironment(logger: Logger, extraCpuSources: CpuSource[] = []): Promise<BenchEnvironment> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-bench-e2e-'));
  const runTag = Date.now().toString(36);
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const [deployer, facilitator, node, verifier, secondNodeKey] = (await Promise.all(
    [0, 1, 2, 3, 4].map(() => fundedDevelopmentKey(base)),
  )) as [`0x${string}`, `0x${string}`, `0x${string}`, `0x${string}`, `0x${string}`];
  const [facilitatorPort, erpPort] = [await freeLocalPort(), await freeLocalPort()];
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    PROOFPATH_STATE_DIR: stateDir,
    PROOFPATH_TRACING: 'off',
    DEPLOYER_PRIVATE_KEY: deployer,
    FACILITATOR_PRIVATE_KEY: facilitator,
    NODE_PRIVATE_KEY: node,
    VERIFIER_PRIVATE_KEY: verifier,
    FACILITATOR_PORT: String(facilitatorPort),
    FACILITATOR_URL: `http://127.0.0.1:${facilitatorPort}`,
    ERP_PORT: String(erpPort),
    ERP_URL: `http://127.0.0.1:${erpPort}`,
    // No metrics listeners: their fixed ports would collide with the other engineers' processes on this machine.
    WORKER_METRICS_PORT: '0',
    BRIDGE_METRICS_PORT: '0',
    DECISION_MAX_ATTEMPTS: '1',
    DECISION_VERIFICATION_TIMEOUT_MS: '300000',
  });
  const deployment = await deployContracts({
    config,
    logger,
    mintTo: anvilAccounts()
      .slice(4)
      .map((a) => a.address),
  });
  writeDeployment(config, deployment);
  // The escrow and channel lanes' contracts, at the canonical addresses x402's auth-capture and batch-settlement use.
  await ensureEscrowContracts(config, logger);
  await ensureChannelContracts(config, logger);
  await registerNodeOnRegistry(
    config,
    deployment.registry.address,
    privateKeyToAccount(secondNodeKey).address,
    deployer,
  );
  const env = { ...process.env, ...configToEnv(config) };
  const shared = await Promise.all([
    startBenchProcess('facilitator', 'facilitator', env, 'facilitator listening'),
    startBenchProcess('erp', 'erp', env, 'erp/tms service listening'),
  ]);
  return {
    config,
    env,
    deployment,
    shared,
    cpuSources: [
      ...shared.map((p) => ({ name: p.name, pid: p.child.pid as number })),
      ...stackSources(base),
      ...extraCpuSources,
    ],
    runTag,
    secondNodeKey,
    async close() {
      const usage = await Promise.all(shared.map((p) => p.stop()));
      fs.rmSync(stateDir, { recursive: true, force: true });
      return usage;
    },
  };
}

/** A lane's processes, started and ready, and the observer of its topics. */
export type StartedLane = {
  lane: LaneKind;
  config: EngineConfig;
  observer: LaneObserver;
  processes: BenchProcess[];
  startedAt: number;
  stop(): Promise<void>;
};

export async function startLane(
  environment: BenchEnvironment,
  lane: LaneKind,
  logger: Logger,
  progress: (line: string) => void,
): Promise<StartedLane> {
  const startedAt = Date.now();
  const { config, deployment, runTag } = environment;
  const laneDir = path.join(config.stateDir, lane);
  fs.mkdirSync(laneDir, { recursive: true });
  writeDeployment({ ...config, stateDir: laneDir }, deployment);
  const name = (what: string) => `bench-${runTag}-${lane}-${what}`;
  const [nodePort, verifierPort, secondNodePort] = [
    await freeLocalPort(),
    await freeLocalPort(),
    await freeLocalPort(),
  ];
  const scaled = lane === 'deferred-x2';
  const env: NodeJS.ProcessEnv = {
    ...environment.env,
    PROOFPATH_STATE_DIR: laneDir,
    KAFKA_TOPIC_IN: name('in'),
    KAFKA_TOPIC_DECISIONS: name('decisions'),
    KAFKA_TOPIC_DLQ: name('dlq'),
    KAFKA_TOPIC_VERDICTS: name('verdicts'),
    KAFKA_BRIDGE_GROUP: name('bridge'),
    PROOFPATH_TASK_QUEUE: name('queue'),
    INFERENCE_NODE_PORT: String(nodePort),
    INFERENCE_NODE_URL: `http://127.0.0.1:${nodePort}`,
    VERIFIER_PORT: String(verifierPort),
    VERIFIER_URL: `http://127.0.0.1:${verifierPort}`,
    PAYMENT_SETTLEMENT_MODE: lane === 'baseline' || scaled ? 'deferred' : lane,
    ...(scaled
      ? { INFERENCE_NODE_ALTERNATE_URLS: `http://127.0.0.1:${secondNodePort}`, INFERENCE_NODE_SELECTION: 'spread' }
      : {}),
    // The baseline node serves every model at price 0: no 402, no payment, no settlement, nothing journaled or proved.
    ...(lane === 'baseline' ? { PAYMENT_DEFAULT_PRICE: '0' } : {}),
  };
  const laneConfig = loadConfig(env);
  await ensureTopics(laneConfig, logger);
  const processes: BenchProcess[] = [];
  const observer = new LaneObserver(
    createKafka(laneConfig, logger, `bench-${lane}`),
    { input: name('in'), decisions: name('decisions'), verdicts: name('verdicts') },
    `${runTag}-${lane}`,
  );
  const stop = async () => {
    await observer.stop().catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    progress(`${lane}: starting node, worker, bridge${lane === 'baseline' ? '' : ', verifier'} as separate processes`);
    const startTogether = async (starts: Array<Promise<BenchProcess>>) => {
      // Every process that did start is tracked (and stopped by `stop`), even when another failed to.
      const settled = await Promise.allSettled(starts);
      for (const result of settled) if (result.status === 'fulfilled') processes.push(result.value);
      const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    };
    await startTogether([
      startBenchProcess('node', 'node', env, 'inference node listening'),
      lane === 'baseline'
        ? startBenchProcess('worker', 'bench/e2e/baseline-worker.ts', env, 'worker running')
        : startBenchProcess('worker', 'worker', env, 'worker running'),
      startBenchProcess('bridge', 'bridge', env, 'bridge consuming'),
    ]);
    if (scaled) {
      // After the first node: both add themselves to the lane's allow-list file.
      processes.push(
        await startBenchProcess(
          'node-2',
          'node',
          { ...env, NODE_PRIVATE_KEY: environment.secondNodeKey, INFERENCE_NODE_PORT: String(secondNodePort) },
          'inference node listening',
        ),
      );
      await startTogether([
        startBenchProcess('worker-2', 'worker', env, 'worker running'),
        startBenchProcess('bridge-2', 'bridge', env, 'bridge consuming'),
      ]);
    }
    // The verifier reads the allow-list the nodes registered themselves in at start.
    if (lane !== 'baseline') processes.push(await startBenchProcess('verifier', 'verifier', env, 'verifier listening'));
    await observer.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { lane, config: laneConfig, observer, processes, startedAt, stop };
}

export async function breakdownOf(
  config: EngineConfig,
  observer: LaneObserver,
  ids: string[],
): Promise<BreakdownSegment[]> {
  const temporal = await connectTemporalClient(config);
  try {
    const decisions = ids.flatMap((workflowId) => {
      const times = observer.decisions.get(workflowId);
      return times ? [{ workflowId, sentAtMs: times.sentAt, actedAtMs: times.actedAt }] : [];
    });
    return await fastPathBreakdown(temporal.client, decisions);
  } finally {
    await temporal.close();
  }
}
