// A decision that used a faulty node is rolled back once verification catches it: the PO is cancelled, the payment
// disputed and the node flagged on chain, and `decision.rolled_back` names the failing check and reason.
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery } from '../../../src/contracts/decision-messages';
import { decisionContentHash } from '../../../src/decisions/starter';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, buildShipment, requisitionCreated, shipmentReady } from './support/events';

describe('decisions with a node that returns manipulated outputs', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({ faults: ['wrong_output'] });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('rolls back with the reason, cancels the PO and publishes decision.rolled_back', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const event = await engine.waitFor('final event', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );

    expect(event.type).toBe('decision.rolled_back');
    expect(event.data.failedCheck).toMatch(/^(proof|reexecution)$/);
    expect(event.data.reason).toMatch(/(reexecution_output_mismatch|proof_output_mismatch)/);
    expect(engine.decisionEvents(id).map((e) => e.type)).toEqual(['decision.acted', 'decision.rolled_back']);

    const [order] = await engine.erp.listPurchaseOrders({ decisionId: id });
    expect(order?.status).toBe('cancelled');
    expect((await engine.erp.listBudgetHolds({ decisionId: id })).map((h) => h.status)).toEqual(['released']);

    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'cancelPurchaseOrder:done',
      'releaseBudget:done',
      'disputePayment:done',
      'flagNode:done',
    ]);
    const { executions } = await engine.client.workflowService.listWorkflowExecutions({
      namespace: engine.config.temporal.namespace,
      query: `DecisionStatus = "ROLLED_BACK" AND WorkflowId = '${id}'`,
    });
    expect(executions).toHaveLength(1);
  });

  it('rolls back a routing decision: the tender is retracted and the payment disputed', async () => {
    const shipment = buildShipment();
    const id = decisionWorkflowId('routing', shipment.shipmentId);
    await engine.emit(shipmentReady(shipment));
    const event = await engine.waitFor('final event', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );

    expect(event).toMatchObject({
      type: 'decision.rolled_back',
      data: { failedCheck: expect.stringMatching(/^(proof|reexecution)$/) },
    });
    const tenders = await engine.tms.listTenders({ decisionId: id });
    expect(tenders.map((t) => t.status)).toEqual(['retracted']);
    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'retractTender:done',
      'disputePayment:done',
      'flagNode:done',
    ]);
  });
});

describe('re-deciding after a faulty node', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({ faults: ['wrong_output'], alternateNode: true, env: { DECISION_MAX_ATTEMPTS: '2' } });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('rolls back the faulty attempt, then decides again with the other node and is verified', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const verified = await engine.waitFor('decision.verified', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.verified'),
    );
    expect(engine.decisionEvents(id).map((e) => e.id)).toEqual([
      `${id}/decision.acted/1`,
      `${id}/decision.rolled_back/1`,
      `${id}/decision.acted/2`,
      `${id}/decision.verified/2`,
    ]);
    expect(verified.data.receipts?.map((r) => r.nodeId)).toEqual([engine.alternate?.nodeId]);
    const orders = await engine.erp.listPurchaseOrders({ decisionId: id });
    expect(orders.map((o) => o.status).sort()).toEqual(['cancelled', 'confirmed']);
    // The audit of the verified attempt still tells what the faulty one did and why it was undone.
    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.attempts).toBe(2);
    // Continue-as-new keeps the start's memo: a conflicting event for this key is still recognised after a re-decision.
    const { memo } = await engine.client.workflow.getHandle(id).describe();
    expect(memo?.contentHash).toBe(decisionContentHash(requisition));
    expect(audit.previousAttempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: expect.objectContaining({ status: 'ROLLED_BACK', reason: expect.stringMatching(/output_mismatch/) }),
        inferences: [expect.objectContaining({ nodeId: engine.payments.node.nodeId })],
        compensations: expect.arrayContaining([
          expect.objectContaining({ action: 'cancelPurchaseOrder', outcome: 'done' }),
        ]),
      }),
    ]);
  });
});
