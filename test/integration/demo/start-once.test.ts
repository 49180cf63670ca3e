// `proofpath start --once` end to end: the real binary brings the engine up on the running stack (its own ports,
// topics and task queue), plays a small scenario with a faulty node, prints the summary and exits 0 only when every
// decision ended as the scenario expects; a scenario whose expectation cannot hold makes it exit 13 naming it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLocalPort } from '../../../src/devstack/engine-process';
import { uniqueName } from '../../support/unique';

const ROOT = path.resolve(__dirname, '../../..');
const SMALL = path.join(ROOT, 'test/fixtures/scenarios/small.json');

async function isolatedEnv(): Promise<NodeJS.ProcessEnv> {
  const [node, facilitator, verifier, erp, workerMetrics, bridgeMetrics] = await Promise.all(
    Array.from({ length: 6 }, () => freeLocalPort()),
  );
  return {
    ...process.env,
    INFERENCE_NODE_PORT: String(node),
    INFERENCE_NODE_URL: `http://127.0.0.1:${node}`,
    FACILITATOR_PORT: String(facilitator),
    FACILITATOR_URL: `http://127.0.0.1:${facilitator}`,
    VERIFIER_PORT: String(verifier),
    VERIFIER_URL: `http://127.0.0.1:${verifier}`,
    ERP_PORT: String(erp),
    ERP_URL: `http://127.0.0.1:${erp}`,
    WORKER_METRICS_PORT: String(workerMetrics),
    BRIDGE_METRICS_PORT: String(bridgeMetrics),
    KAFKA_TOPIC_IN: uniqueName('in'),
    KAFKA_TOPIC_DECISIONS: uniqueName('decisions'),
    KAFKA_TOPIC_DLQ: uniqueName('dlq'),
    KAFKA_TOPIC_VERDICTS: uniqueName('verdicts'),
    KAFKA_BRIDGE_GROUP: uniqueName('bridge'),
    PROOFPATH_TASK_QUEUE: uniqueName('decisions'),
  };
}

function runStart(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/proofpath.mjs', 'start', '--once', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('proofpath start --once', () => {
  it('plays the scenario: the faulty node is caught and re-decided, the cancel rolls back, and it exits 0', async () => {
    const { code, output } = await runStart(['--scenario', SMALL, '--timeout', '6m'], await isolatedEnv());
    if (code !== 0) throw new Error(`exit ${code}\n${output}`);
    expect(output).toContain('✔ every decision ended as the scenario expects');
    expect(output).toMatch(/procurement-REQ-D18-\w+ +cancel .*ROLLED_BACK \(cancelled\) +ROLLED_BACK/);
    expect(output).toMatch(/payments settled +(\d+) of \1/);
    expect(output).toMatch(
      /Temporal UI, rolled-back decisions: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\?query=/,
    );
  }, 480_000);

  it('exits 13 and names the decision when the scenario expects what cannot happen', async () => {
    const scenario = JSON.parse(fs.readFileSync(SMALL, 'utf8'));
    const single = {
      ...scenario,
      faultyNode: undefined,
      decisions: [{ ...scenario.decisions.find((d: { erp?: string }) => !d.erp), expect: { status: 'ROLLED_BACK' } }],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-')), 'impossible.json');
    fs.writeFileSync(file, JSON.stringify(single));
    const { code, output } = await runStart(['--scenario', file, '--timeout', '4m'], await isolatedEnv());
    expect(code).toBe(13);
    expect(output).toMatch(
      /✖ 1 deviation\(s\) from the scenario:\n {2}procurement-REQ-D\d\d-\w+: expected ends ROLLED_BACK; ended VERIFIED/,
    );
  }, 480_000);
});
