// SLOW (about 100 s on this 2-core machine: an `npm ci --omit=dev` of about 75 s from the npm cache, then two process
// starts). The production image's install works without dev dependencies: the files the Dockerfile copies, installed
// as it installs them, run the facilitator and the inference node through the image's entrypoint (tsx src/cli/main.ts)
// against the shared chain, with no solc, jest, eslint or @temporalio/testing on disk. Bounded: the install has 4
// minutes, each process 90 s to answer.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeLocalPort } from '../../../src/devstack/engine-process';
import { deploymentFilePath } from '../../../src/chain';
import { testConfig } from '../../support/test-config';
import { startBin, type RunningBin } from '../cli/support/run-bin';

const REPO = path.resolve(__dirname, '../../..');
const INSTALL_TIMEOUT_MS = 240_000;
const NODE_START_TIMEOUT_MS = 90_000;

/** What the Dockerfile puts in the image: the files of its install step and the `COPY <path> ./<path>` lines of its
 *  last stage (a build stage's files, and what the image copies from one, are not the app's). */
function imageFiles(): string[] {
  const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n');
  const lastStage = lines.map((line) => line.startsWith('FROM ')).lastIndexOf(true);
  return lines
    .slice(lastStage)
    .filter((line) => line.startsWith('COPY ') && !line.startsWith('COPY --from='))
    .flatMap((line) => line.slice('COPY '.length).trim().split(/\s+/).slice(0, -1));
}

jest.setTimeout(INSTALL_TIMEOUT_MS + 120_000);

describe('the production install (npm ci --omit=dev, as the Dockerfile does)', () => {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-prod-'));
  const stateDir = path.join(app, '.state');
  const started: RunningBin[] = [];
  /** Runs a subcommand as the image does: its entrypoint `tsx src/cli/main.ts <subcommand>`, from the installed tsx. */
  const run = (subcommand: string, env: NodeJS.ProcessEnv) => {
    const child = startBin(['src/cli/main.ts', subcommand], {
      command: path.join(app, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      cwd: app,
      env: { PROOFPATH_STATE_DIR: stateDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    });
    started.push(child);
    return child;
  };
  const healthy = async (child: RunningBin, url: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await fetch(`${url}/healthz`).catch(() => undefined))?.ok) {
      if (child.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`${url}/healthz did not answer:\n${child.stdout()}\n${child.stderr()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  afterAll(async () => {
    for (const child of started.filter((c) => c.child.exitCode === null)) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    fs.rmSync(app, { recursive: true, force: true });
  });

  it('installs without dev dependencies and starts the facilitator and the inference node from the image entrypoint', async () => {
    const files = imageFiles();
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'workflows', 'activities', 'models']),
    );
    for (const file of files) fs.cpSync(path.join(REPO, file), path.join(app, file), { recursive: true });

    const started = Date.now();
    await promisify(execFile)('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    const installSeconds = Math.round((Date.now() - started) / 1000);
    for (const dev of ['solc', 'jest', 'eslint', '@temporalio/testing'])
      expect({ dev, installed: fs.existsSync(path.join(app, 'node_modules', dev)) }).toEqual({ dev, installed: false });
    // circom2 and snarkjs: a model's zk setup (circuit compile, keys) runs in production when a model is added.
    for (const runtime of ['tsx', 'viem', '@temporalio/worker', 'onnxruntime-node', 'circom2', 'snarkjs'])
      expect({ runtime, installed: fs.existsSync(path.join(app, 'node_modules', runtime)) }).toEqual({
        runtime,
        installed: true,
      });

    // Its own state (journal, development enclave root, allow-list); the shared chain's deployment to pay against.
    const config = testConfig();
    fs.mkdirSync(stateDir, { recursive: true });
    fs.copyFileSync(deploymentFilePath(config), path.join(stateDir, 'contracts.json'));
    const [facilitatorPort, nodePort] = [await freeLocalPort(), await freeLocalPort()];
    const facilitatorUrl = `http://127.0.0.1:${facilitatorPort}`;
    const facilitator = run('facilitator', { FACILITATOR_PORT: String(facilitatorPort) });
    await healthy(facilitator, facilitatorUrl, NODE_START_TIMEOUT_MS);
    const node = run('node', { INFERENCE_NODE_PORT: String(nodePort), FACILITATOR_URL: facilitatorUrl });
    const url = `http://127.0.0.1:${nodePort}`;
    await healthy(node, url, NODE_START_TIMEOUT_MS).catch((error: Error) => {
      throw new Error(`${error.message}\n(the install took ${installSeconds} s)`);
    });
    type Listing = {
      models: Array<{ modelId: string; schema: { featureOrder: Array<{ min: number; max: number }> } }>;
    };
    const [model] = ((await (await fetch(`${url}/v1/models`)).json()) as Listing).models;
    if (!model) throw new Error('the node lists no models');
    // A valid unpaid request is answered with 402 and payment requirements: models, x402 gate and chain asset are live.
    const rows = [model.schema.featureOrder.map((f) => (f.min + f.max) / 2)];
    const unpaid = await fetch(`${url}/v1/models/${model.modelId}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows }),
    });
    expect({ status: unpaid.status, required: unpaid.headers.has('payment-required') }).toEqual({
      status: 402,
      required: true,
    });

    for (const child of [node, facilitator]) {
      child.child.kill('SIGTERM');
      expect((await child.exited).code).toBe(0);
    }
  });
});
