// The engine as the chaos run deploys it on its private stack, every part its own OS process so it can be killed:
// facilitator, two honest nodes and one faulty node, verifier, ERP/TMS, bridge and two workers. Node B (honest) is
// reached through proxies: one in front of it (proofs can be held back) and one between it and the facilitator (it
// can be killed after a payment verified and before it answers). Every process reaches the chain through the RPC
// fault proxy. The cluster supervises like a process manager: a process that exits when nobody killed it is counted
// and started again, so an engine crash shows up in the table instead of stalling the run.
import fs from 'node:fs';
import path from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { fundedDevelopmentKey, registerNodeOnRegistry, registryAddressOf } from '../../../../src/chain';
import { configToEnv } from '../../../../src/config';
import { startEngineProcess, type EngineProcess } from '../../../../src/devstack/engine-process';
import type { PrivateStack } from './private-stack';

export const PROCESS_NAMES = [
  'facilitator',
  'nodeA',
  'nodeB',
  'nodeFaulty',
  'verifier',
  'erp',
  'bridge',
  'worker1',
  'worker2',
] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

const READY: Record<string, string> = {
  facilitator: 'facilitator listening',
  node: 'inference node listening',
  verifier: 'verifier listening',
  erp: 'erp/tms service listening',
  bridge: 'bridge consuming',
  worker: 'worker running',
};

export type ClusterUrls = { nodeA: string; nodeB: string; nodeFaulty: string; facilitator: string; erp: string };
export type Cluster = {
  /** Node addresses (= receipt node ids), by role. */
  nodeIds: { honest: string[]; faulty: string };
  urls: ClusterUrls;
  /** SIGKILL, as a crash; the supervisor does not restart it (the caller does, with `start`). */
  kill(name: ProcessName): void;
  start(name: ProcessName): Promise<void>;
  /** Exits nobody asked for, by process (each was restarted). */
  unplannedExits: Partial<Record<ProcessName, number>>;
  logDir: string;
  close(): Promise<void>;
};

export async function startCluster(options: {
  stack: PrivateStack;
  /** What the processes call instead of the real thing: the chain RPC, node B (for workers and the verifier), and
   * the facilitator (for node B). */
  proxies: { chainRpcUrl: string; nodeBUrl: string; facilitatorForNodeBUrl: string };
  settings: Record<string, string>;
  faultyNodeFaults: string;
}): Promise<Cluster> {
  const { stack, proxies } = options;
  const { ports } = stack;
  const { config } = stack;
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const registry = registryAddressOf(config);
  if (!registry) throw new Error('chaos: no settlement registry on the private chain after provisioning');
  const nodeKeys = {
    nodeA: await fundedDevelopmentKey(config),
    nodeB: await fundedDevelopmentKey(config),
    nodeFaulty: await fundedDevelopmentKey(config),
  };
  for (const key of Object.values(nodeKeys))
    await registerNodeOnRegistry(
      config,
      registry,
      privateKeyToAccount(key).address,
      config.keys.deployer as `0x${string}`,
    );
  const logDir = path.join(config.stateDir, 'engine-logs');
  fs.mkdirSync(logDir, { recursive: true });

  const common: Record<string, string> = {
    ...configToEnv(config),
    ...stack.env,
    ...options.settings,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    PROOFPATH_TRACING: 'off',
    CHAIN_RPC_URL: proxies.chainRpcUrl,
    FACILITATOR_URL: local(ports.facilitator),
    FACILITATOR_PORT: String(ports.facilitator),
    VERIFIER_PORT: String(ports.verifier),
    VERIFIER_URL: local(ports.verifier),
    ERP_PORT: String(ports.erp),
    ERP_URL: local(ports.erp),
    // No metrics listeners: their fixed default ports would collide with the shared stack's processes.
    WORKER_METRICS_PORT: '0',
    BRIDGE_METRICS_PORT: '0',
  };
  const node = (name: keyof typeof nodeKeys, extra: Record<string, string> = {}) => ({
    subcommand: 'node',
    env: { ...common, NODE_PRIVATE_KEY: nodeKeys[name], INFERENCE_NODE_PORT: String(ports[name]), ...extra },
  });
  const worker = {
    subcommand: 'worker',
    env: {
      ...common,
      INFERENCE_NODE_URL: local(ports.nodeA),
      INFERENCE_NODE_ALTERNATE_URLS: `${proxies.nodeBUrl},${local(ports.nodeFaulty)}`,
      INFERENCE_NODE_SELECTION: 'spread',
    },
  };
  const specs: Record<ProcessName, { subcommand: string; env: Record<string, string> }> = {
    facilitator: { subcommand: 'facilitator', env: common },
    nodeA: node('nodeA'),
    // Verifies through the facilitator (not in-process), so a crash can fall between /verify and its own answer.
    nodeB: node('nodeB', { FACILITATOR_URL: proxies.facilitatorForNodeBUrl, PAYMENT_VERIFY_IN_PROCESS: 'false' }),
    nodeFaulty: node('nodeFaulty', { NODE_FAULTS: options.faultyNodeFaults }),
    verifier: { subcommand: 'verifier', env: common },
    erp: { subcommand: 'erp', env: common },
    bridge: { subcommand: 'bridge', env: common },
    worker1: worker,
    worker2: worker,
  };

  const running = new Map<ProcessName, EngineProcess>();
  const killed = new WeakSet<EngineProcess>();
  const unplannedExits: Cluster['unplannedExits'] = {};
  let closing = false;

  async function start(name: ProcessName): Promise<void> {
    const current = running.get(name)?.child;
    if (current && current.exitCode === null && current.signalCode === null) return; // already up (supervisor)
    const spec = specs[name];
    const log = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    const handle = await startEngineProcess(
      spec.subcommand,
      { ...process.env, ...spec.env },
      READY[spec.subcommand] ?? 'ready',
      (chunk) => log.write(chunk),
      // Known from its spawn, so a process still starting is stopped at the end too (and never started twice), and
      // one that does not become ready (stuck connecting to a restarting broker) is killed rather than orphaned.
      { onSpawn: (spawned) => running.set(name, spawned), readyTimeoutMs: 180_000 },
    );
    handle.child.once('exit', () => {
      log.end();
      if (closing || killed.has(handle) || running.get(name) !== handle) return;
      unplannedExits[name] = (unplannedExits[name] ?? 0) + 1;
      setTimeout(() => void (closing ? undefined : start(name).catch(() => undefined)), 1_000);
    });
  }

  async function stopAll(): Promise<void> {
    closing = true;
    const children = [...running.values()].map((p) => p.child).filter((c) => c.exitCode === null && !c.signalCode);
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([
      Promise.all(children.map((c) => new Promise((r) => c.once('exit', r)))),
      new Promise((r) => setTimeout(r, 15_000)),
    ]);
    for (const child of children) if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
  }

  // Nodes ask the facilitator what it supports when they start, so it comes first; the verifier reads the
  // allow-list the nodes enter themselves into (under a file lock), so it comes last; the rest in parallel.
  // A part that fails to start stops the others: nothing outlives a failed start.
  try {
    await start('facilitator');
    // allSettled: every start has either a ready process (to stop) or an exited one before anything is stopped.
    const starts = await Promise.allSettled(
      (['erp', 'bridge', 'nodeA', 'nodeB', 'nodeFaulty', 'worker1', 'worker2'] as const).map((name) => start(name)),
    );
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    await start('verifier');
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    nodeIds: {
      honest: [privateKeyToAccount(nodeKeys.nodeA).address, privateKeyToAccount(nodeKeys.nodeB).address],
      faulty: privateKeyToAccount(nodeKeys.nodeFaulty).address,
    },
    urls: {
      nodeA: local(ports.nodeA),
      nodeB: local(ports.nodeB),
      nodeFaulty: local(ports.nodeFaulty),
      facilitator: local(ports.facilitator),
      erp: local(ports.erp),
    },
    kill(name) {
      const handle = running.get(name);
      if (!handle) return;
      killed.add(handle);
      handle.kill();
    },
    start,
    unplannedExits,
    logDir,
    close: stopAll,
  };
}
