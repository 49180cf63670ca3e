// Decisions driven through Kafka on the real stack with an honest node: verified procurement and routing, exactly-once
// effects, duplicate events, the dead-letter topic, and a worker restart in the middle of verification.
import { privateKeyToAccount } from 'viem/accounts';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery } from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, buildShipment, requisitionCreated, shipmentReady } from './support/events';

describe('decisions with an honest node', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  const payerBalance = () => engine.payments.balanceOf(privateKeyToAccount(engine.config.keys.payer).address);
  const finalEvent = (decisionId: string) =>
    engine.waitFor(`final event of ${decisionId}`, () =>
      engine
        .decisionEvents(decisionId)
        .find(
          (e) => e.type === 'decision.verified' || e.type === 'decision.rolled_back' || e.type === 'decision.failed',
        ),
    );

  it('turns a requisition event into a verified decision with one PO reservation and one payment', async () => {
    const requisition = buildRequisition();
    const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    const before = await payerBalance();
    await engine.emit(requisitionCreated(requisition));

    const final = await finalEvent(decisionId);
    expect(final.type).toBe('decision.verified');
    expect(engine.decisionEvents(decisionId).map((e) => e.type)).toEqual(['decision.acted', 'decision.verified']);
    expect(engine.decisionEvents(decisionId)[0]?.id).toBe(`${decisionId}/decision.acted/1`);

    const orders = await engine.erp.listPurchaseOrders({ decisionId });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'confirmed', quantity: 300 });

    const audit = await engine.client.workflow.getHandle(decisionId).query(auditQuery);
    expect(audit.status).toBe('VERIFIED');
    expect(audit.inferences).toHaveLength(1);
    expect(audit.verifications[0]?.checks).toMatchObject({
      attestation: { status: 'pass' },
      proof: { status: 'pass' },
      reexecution: { status: 'pass' },
    });
    await engine.payments.node.drain();
    expect(before - (await payerBalance())).toBe(BigInt(engine.config.payments.defaultPrice));
  });

  it('tenders a load for a ready shipment and confirms it once verified', async () => {
    const shipment = buildShipment();
    const decisionId = decisionWorkflowId('routing', shipment.shipmentId);
    await engine.emit(shipmentReady(shipment));
    expect((await finalEvent(decisionId)).type).toBe('decision.verified');
    const tenders = await engine.tms.listTenders({ decisionId });
    expect(tenders).toHaveLength(1);
    expect(tenders[0]?.status).toBe('accepted');
  });

  it('starts one decision for a duplicated event and dead-letters malformed events while valid ones keep flowing', async () => {
    const requisition = buildRequisition();
    const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    const event = requisitionCreated(requisition);
    await engine.emitRaw('{not json', 'broken-1');
    await engine.emit(event);
    await engine.emit({ ...event, data: { ...requisition, candidates: [] } }, 'broken-2');
    await engine.emit(event); // redelivery of the same event
    await engine.emit({ ...event, id: 'another-id' }); // the same business key from a second producer

    expect((await finalEvent(decisionId)).type).toBe('decision.verified');
    const letters = await engine.waitFor('two dead letters', () =>
      engine.deadLetters().length >= 2 ? engine.deadLetters() : undefined,
    );
    expect(letters.map((l) => l.reason).sort()).toEqual(['malformed_json', 'schema_invalid']);
    const invalid = letters.find((l) => l.reason === 'schema_invalid');
    expect(invalid?.issues).toEqual([
      expect.objectContaining({ path: 'data.candidates', message: 'must list at least one supplier' }),
    ]);
    expect(
      Buffer.from(letters.find((l) => l.reason === 'malformed_json')?.originalValueBase64 ?? '', 'base64').toString(),
    ).toBe('{not json');

    expect(await engine.erp.listPurchaseOrders({ decisionId })).toHaveLength(1);
    const { executions } = await engine.client.workflowService.listWorkflowExecutions({
      namespace: engine.config.temporal.namespace,
      query: `WorkflowId = '${decisionId}'`,
    });
    expect(executions).toHaveLength(1);
  });

  it('decides on ids at their maximum length (texts shown in the UI are clipped to what Temporal accepts)', async () => {
    const unique = buildRequisition().requisitionId; // ids must be unique per run: decisions outlive test runs
    const requisition = buildRequisition({ requisitionId: unique.padEnd(180, '9'), itemSku: `SKU-${'X'.repeat(176)}` });
    const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    expect((await finalEvent(decisionId)).type).toBe('decision.verified');
    const description = await engine.client.workflow.getHandle(decisionId).describe();
    expect((await description.staticSummary())?.length).toBeLessThanOrEqual(180);
  });

  it('ends in exactly one PO and one payment when the worker process is killed and restarted mid-verification', async () => {
    await engine.stopWorker();
    let workerProcess = await engine.startWorkerProcess();
    const requisition = buildRequisition();
    const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    const before = await payerBalance();
    await engine.emit(requisitionCreated(requisition));
    await engine.waitFor('decision.acted', () =>
      engine.decisionEvents(decisionId).find((e) => e.type === 'decision.acted'),
    );
    workerProcess.kill('SIGKILL'); // no graceful shutdown: in-flight activities and workflow tasks are simply lost
    await new Promise((resolve) => workerProcess.once('exit', resolve));
    workerProcess = await engine.startWorkerProcess();

    expect((await finalEvent(decisionId)).type).toBe('decision.verified');
    expect(await engine.erp.listPurchaseOrders({ decisionId })).toEqual([
      expect.objectContaining({ status: 'confirmed' }),
    ]);
    const audit = await engine.client.workflow.getHandle(decisionId).query(auditQuery);
    expect(new Set(audit.inferences.map((i) => i.paymentRef)).size).toBe(1);
    expect(engine.decisionEvents(decisionId).filter((e) => e.type === 'decision.acted')).toHaveLength(1);
    await engine.payments.node.drain();
    expect(before - (await payerBalance())).toBe(BigInt(engine.config.payments.defaultPrice));
    workerProcess.kill('SIGKILL');
  });
});
