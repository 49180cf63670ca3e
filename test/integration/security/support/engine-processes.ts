// A facilitator, an inference node and a verifier, each its own OS process (as deployed), on fresh keys and freshly
// deployed contracts, with tight request limits so a campaign can reach them in seconds. Output is kept for grepping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { deployContracts, fundedDevelopmentKey, tokenBalanceOf, writeDeployment } from '../../../../src/chain';
import { anvilAccounts, configToEnv, type EngineConfig } from '../../../../src/config';
import type { ChainDeployment } from '../../../../src/contracts';
import { freeLocalPort, startEngineProcess, type EngineProcess } from '../../../../src/devstack/engine-process';
import { ensureTopics } from '../../../../src/kafka/topics';
import { testConfig, testLogger } from '../../../support/test-config';
import { uniqueName } from '../../../support/unique';

export type EngineProcesses = {
  config: EngineConfig;
  deployment: ChainDeployment;
  urls: { node: string; facilitator: string; verifier: string };
  processes: Record<'node' | 'facilitator' | 'verifier', EngineProcess>;
  /** Everything each process wrote, from its first line. */
  logs(): Record<'node' | 'facilitator' | 'verifier', string>;
  /** Private keys given to the processes (to grep their logs for). */
  secrets: string[];
  payerKeys: `0x${string}`[];
  balanceOf(owner: `0x${string}`): Promise<bigint>;
  alive(): Record<string, boolean>;
  close(): Promise<void>;
};

export const CAMPAIGN_LIMITS = {
  HTTP_RATE_LIMIT_PER_SECOND: '50',
  HTTP_RATE_LIMIT_BURST: '200',
  HTTP_HEADERS_TIMEOUT_MS: '2000',
  HTTP_REQUEST_TIMEOUT_MS: '4000',
  HTTP_MAX_HEADER_BYTES: '8192',
  NODE_MAX_BODY_BYTES: '262144',
  VERIFIER_MAX_BODY_BYTES: '262144',
};

export async function startEngineProcesses(extraEnv: NodeJS.ProcessEnv = {}): Promise<EngineProcesses> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-security-'));
  const base = testConfig();
  const [deployer, facilitatorKey, nodeKey, verifierKey] = await Promise.all([
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
  ]);
  const [nodePort, facilitatorPort, verifierPort] = await Promise.all([
    freeLocalPort(),
    freeLocalPort(),
    freeLocalPort(),
  ]);
  const env: NodeJS.ProcessEnv = {
    PROOFPATH_STATE_DIR: stateDir,
    DEPLOYER_PRIVATE_KEY: deployer,
    FACILITATOR_PRIVATE_KEY: facilitatorKey,
    NODE_PRIVATE_KEY: nodeKey,
    VERIFIER_PRIVATE_KEY: verifierKey,
    INFERENCE_NODE_PORT: String(nodePort),
    FACILITATOR_PORT: String(facilitatorPort),
    VERIFIER_PORT: String(verifierPort),
    INFERENCE_NODE_URL: `http://127.0.0.1:${nodePort}`,
    FACILITATOR_URL: `http://127.0.0.1:${facilitatorPort}`,
    KAFKA_TOPIC_VERDICTS: uniqueName('security-verdicts'),
    ...CAMPAIGN_LIMITS,
    ...extraEnv,
  };
  const config = testConfig(env);
  const logger = testLogger('security-test', config);
  const deployment = await deployContracts({
    config,
    logger,
    mintTo: anvilAccounts()
      .slice(4)
      .map((a) => a.address),
    mintAmount: 1_000_000_000n,
  });
  writeDeployment(config, deployment);
  await ensureTopics(config, logger, [config.kafka.verdictsTopic]);
  // Every log line at debug, JSON: the redaction test greps these for the keys.
  const childEnv = {
    ...process.env,
    ...configToEnv(config),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    PROOFPATH_TRACING: 'off',
  };
  const logs = { node: '', facilitator: '', verifier: '' };
  const facilitator = await startEngineProcess(
    'facilitator',
    childEnv,
    'facilitator listening',
    (c) => (logs.facilitator += c),
  );
  const [node, verifier] = await Promise.all([
    startEngineProcess('node', childEnv, 'inference node listening', (c) => (logs.node += c)),
    startEngineProcess('verifier', childEnv, 'verifier listening', (c) => (logs.verifier += c)),
  ]);
  const processes = { node, facilitator, verifier };
  return {
    config,
    deployment,
    urls: {
      node: env.INFERENCE_NODE_URL as string,
      facilitator: env.FACILITATOR_URL as string,
      verifier: `http://127.0.0.1:${verifierPort}`,
    },
    processes,
    logs: () => ({ ...logs }),
    secrets: [
      deployer,
      facilitatorKey,
      nodeKey,
      verifierKey,
      ...anvilAccounts()
        .slice(0, 5)
        .map((a) => a.privateKey),
    ],
    payerKeys: anvilAccounts()
      .slice(4)
      .map((a) => a.privateKey),
    balanceOf: (owner) => tokenBalanceOf(config, deployment.token.address, owner),
    alive: () =>
      Object.fromEntries(
        Object.entries(processes).map(([name, p]) => [name, p.child.exitCode === null && p.child.signalCode === null]),
      ),
    async close() {
      for (const p of Object.values(processes)) p.child.kill('SIGTERM');
      await Promise.all(
        Object.values(processes).map((p) =>
          p.child.exitCode === null && p.child.signalCode === null
            ? new Promise((r) => p.child.once('exit', r))
            : undefined,
        ),
      );
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export const addressOf = (key: `0x${string}`) => privateKeyToAccount(key).address;
