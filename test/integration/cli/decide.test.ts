// `decide`, `decision audit` and `nodes list` through the real binary against a whole engine on the real stack (node,
// verifier, ERP, bridge and worker in-process on unique topics): a decision made from a file, waited for, and audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configToEnv } from '../../../src/config';
import { decisionWorkflowId, type DecisionAudit } from '../../../src/contracts/decision';
import { freeLocalPort } from '../../../src/devstack/engine-process';
import { auditQuery } from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, buildShipment, shipmentReady } from '../decisions/support/events';
import { runBin } from './support/run-bin';

const squeeze = (text: string) => text.replace(/[ \t]{2,}/g, '  ');

describe('decide and audit through the binary', () => {
  let engine: Engine;
  let env: NodeJS.ProcessEnv;
  let deadAlternate: string;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-decide-'));
  const writeJson = (name: string, value: unknown) => {
    const file = path.join(files, name);
    fs.writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
  };

  beforeAll(async () => {
    engine = await startEngine();
    deadAlternate = `http://127.0.0.1:${await freeLocalPort()}`;
    env = {
      ...configToEnv(engine.config),
      INFERENCE_NODE_URL: engine.payments.node.url,
      INFERENCE_NODE_ALTERNATE_URLS: deadAlternate,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await engine?.close();
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('lists the node the worker pays, with its models and prices, and an alternate that does not answer', async () => {
    const result = await runBin(['nodes', 'list'], { env });
    expect(result.code).toBe(0);
    const lines = squeeze(result.stdout).trimEnd().split('\n');
    expect(lines[0]).toBe(
      `${engine.payments.node.url}  primary  reachable  node ${engine.payments.node.nodeId}  settlement deferred  3 model(s)`,
    );
    const price = engine.config.payments.defaultPrice;
    for (const model of ['supplier-risk', 'lane-eta', 'demand-forecast']) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^  ${model}  \\S+  ${price} units of .+ on eip155:31337$`)),
      );
    }
    expect(lines.at(-1)).toBe(`${deadAlternate}  alternate  unreachable  connection refused`);
  });

  let decisionId: string;
  it('publishes a bare requisition, waits for the verified outcome and exits 0', async () => {
    const requisition = buildRequisition();
    decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    const result = await runBin(
      ['decide', 'procurement', '--file', writeJson('requisition.json', requisition), '--timeout', '180s'],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${decisionId}  VERIFIED  attempt 1  reference \\S+\\n$`));
    expect(result.stderr).toMatch(
      new RegExp(
        `published requisition.created ${requisition.requisitionId} \\(wrapped in a new event\\) to ${engine.config.kafka.inputTopic}`,
      ),
    );
    expect(result.stderr).toMatch(/ VERIFYING\n/);
    expect(result.stderr).toContain(`audit: npx proofpath decision audit ${decisionId}`);
  });

  it("renders that decision's verification chain: receipt, payment settled on chain, commitment, verdicts, action, outcome", async () => {
    const audit: DecisionAudit = await engine.client.workflow.getHandle(decisionId).query(auditQuery);
    const [inference] = audit.inferences;
    if (!inference) throw new Error('the decision paid for no inference');
    const result = await runBin(['decision', 'audit', decisionId], { env });
    expect(result.code).toBe(0);
    const text = squeeze(result.stdout);
    expect(text).toMatch(new RegExp(`^Decision ${decisionId}  \\(procurement\\)\\n`));
    expect(text).toContain(`receipt  ${inference.receiptId}`);
    expect(text).toContain(`model id  ${inference.modelId}`);
    expect(text).toContain(`input hash  ${inference.inputHash}`);
    expect(text).toContain(`payment  ${inference.paymentRef}`);
    expect(text).toMatch(/settlement {2}settled {2}tx 0x[0-9a-f]{64}\n/);
    expect(text).toMatch(/commitment {2}receipt (committed|pending)/);
    for (const check of ['attestation', 'proof', 'reexecution']) expect(text).toContain(`${check}  pass`);
    expect(text).toContain(`purchase_order.reserved  ${audit.actions[0]?.reference}`);
    expect(text).toMatch(/Outcome\n {2}status {2}VERIFIED\n$/);

    const raw = await runBin(['decision', 'audit', decisionId, '--json'], { env });
    expect(raw.code).toBe(0);
    expect(JSON.parse(raw.stdout)).toEqual(audit);
  });

  it("reads a finished decision's audit with no worker running (from the workflow result, not the audit query)", async () => {
    const audit: DecisionAudit = await engine.client.workflow.getHandle(decisionId).query(auditQuery);
    await engine.stopWorker();
    try {
      const started = Date.now();
      const raw = await runBin(['decision', 'audit', decisionId, '--json', '--offline'], { env });
      expect(raw.code).toBe(0);
      expect(JSON.parse(raw.stdout)).toEqual(audit);
      // A query with no worker would wait out the CLI's 15 s deadline and exit 3.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await engine.startWorker();
    }
  });

  it('gives up after --timeout with exit 12, then reports the finished decision at once when asked again', async () => {
    const shipment = buildShipment();
    const id = decisionWorkflowId('routing', shipment.shipmentId);
    const file = writeJson('shipment-event.json', shipmentReady(shipment));
    const impatient = await runBin(['decide', 'routing', '-f', file, '--timeout', '1ms'], { env });
    expect(impatient.code).toBe(12);
    expect(impatient.stdout).toBe('');
    expect(impatient.stderr).toMatch(/no final outcome in time/);

    await engine.waitFor(`final event of ${id}`, () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.verified'),
    );
    const again = await runBin(['decide', 'routing', '-f', file, '--json'], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `decision ${id} already exists (COMPLETED): one decision per shipment, this event will not start another`,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ decisionId: id, status: 'VERIFIED', attempt: 1 });
  });
});
