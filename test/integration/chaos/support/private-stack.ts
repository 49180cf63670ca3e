// A private embedded stack (Temporal, Kafka, anvil) for the chaos suite, which restarts Kafka and Temporal: its own
// ports and state directory, the shared caches (no rebuild). It is brought up, restarted service by service and torn
// down by the devstack's own code (stackUp / stopByPid / stackDown), so the shared stack on the default ports is never
// touched. A port already taken fails the suite at once with a message that names it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { nonceManager } from 'viem/accounts';
import { anvilAccounts, type EngineConfig } from '../../../../src/config';
import { stopByPid } from '../../../../src/devstack/process';
import { provisionStack } from '../../../../src/devstack/provision';
import { stackDown, stackPaths, stackUp } from '../../../../src/devstack/stack';
import type { Logger } from '../../../../src/log';
import { createLoggingStepReporter } from '../../../../src/terminal';
import { testConfig, testLogger } from '../../../support/test-config';

/**
 * Private ports, the stack's and the engine processes'; CHAOS_PORT_OFFSET moves them all (default 20000: Temporal
 * 27233, UI 28233, Kafka 29092 + 29093, anvil 28545, engine 28402-28407). Fixed and below the kernel's ephemeral
 * range (32768+): a process killed and started again must get its port back, and an ephemeral port, once free, is
 * soon taken by some outgoing connection.
 */
export function privatePorts(offset = Number(process.env.CHAOS_PORT_OFFSET ?? 20_000)) {
  return {
    temporal: 7233 + offset,
    temporalUi: 8233 + offset,
    kafka: 9092 + offset,
    kafkaController: 9093 + offset, // the devstack's broker listens for its controller on the next port
    anvil: 8545 + offset,
    nodeA: 8402 + offset,
    facilitator: 8403 + offset,
    verifier: 8404 + offset,
    erp: 8405 + offset,
    nodeB: 8406 + offset,
    nodeFaulty: 8407 + offset,
  };
}
export type PrivatePorts = ReturnType<typeof privatePorts>;

export type PrivateStack = {
  config: EngineConfig;
  ports: PrivatePorts;
  /** The settings that point a process at this stack (state directory, addresses). */
  env: Record<string, string>;
  logger: Logger;
  /** Stops one service by its PID (SIGTERM, its data kept) and starts it again; resolves when it is healthy. */
  restart(service: 'kafka' | 'temporal'): Promise<void>;
  /** Where the services' logs are, for a failure message. */
  logDir: string;
  /** Stops the services and removes the state directory, copying the logs to `keepLogsIn` first when given. */
  close(keepLogsIn?: string): Promise<void>;
};

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function startPrivateStack(): Promise<PrivateStack> {
  const ports = privatePorts();
  const taken = [];
  for (const [name, port] of Object.entries(ports)) if (!(await portIsFree(port))) taken.push(`${name} ${port}`);
  if (taken.length > 0)
    throw new Error(
      `chaos: the private stack's ports are taken (${taken.join(', ')}); another chaos run, or set CHAOS_PORT_OFFSET`,
    );
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-chaos-'));
  const env = {
    PROOFPATH_STATE_DIR: stateDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
    CHAIN_RPC_URL: `http://127.0.0.1:${ports.anvil}`,
  };
  const bare = testConfig(env);
  const logger = testLogger('chaos-stack', bare);
  const steps = createLoggingStepReporter(logger);
  // A new chain at a URL this process may have used before (the previous mode's run): viem's shared nonce manager
  // still remembers the nonces it handed out there and would send the new chain's first transactions with them (a
  // nonce gap anvil never mines; the second mode's provisioning timed out that way). Forget them.
  for (const { address } of anvilAccounts()) nonceManager.reset({ address, chainId: bare.chain.chainId });
  try {
    await stackUp(bare, logger, { steps });
    await provisionStack(bare, logger, steps);
  } catch (error) {
    await stackDown(bare, logger).catch(() => undefined);
    throw error;
  }
  // Loaded again: now it carries the contracts provisioning deployed (token, registry) from the state directory.
  const config = testConfig(env);
  return {
    config,
    ports,
    env,
    logger,
    logDir: path.join(stateDir, 'stack', 'logs'),
    async restart(service) {
      await stopByPid(stackPaths(config, service).pidFile);
      // `up` leaves the running services alone and starts the stopped one on the same data directory.
      await stackUp(config, logger, { steps });
    },
    async close(keepLogsIn) {
      await stackDown(config, logger);
      // The services' and the engine's logs outlive the state directory, for a failed run's post-mortem.
      if (keepLogsIn) {
        fs.rmSync(keepLogsIn, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(keepLogsIn), { recursive: true });
        fs.cpSync(path.join(stateDir, 'stack', 'logs'), path.join(keepLogsIn, 'stack'), { recursive: true });
        const engine = path.join(stateDir, 'engine-logs');
        if (fs.existsSync(engine)) fs.cpSync(engine, path.join(keepLogsIn, 'engine'), { recursive: true });
        // The nodes' journals (receipts, proof jobs, key births): what each node had when it was killed.
        const journals = path.join(stateDir, 'node');
        if (fs.existsSync(journals)) fs.cpSync(journals, path.join(keepLogsIn, 'node-journals'), { recursive: true });
      }
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
