// Decisions whose verification does not finish: a node that never delivers its proof. A `cancel` (from a
// requisition.cancelled event) during verification compensates; a verification that times out rolls back.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { approveUpdate, auditQuery } from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, requisitionCancelled, requisitionCreated } from './support/events';

describe('a node that never delivers proofs', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({
      faults: ['proof_never_delivered'],
      env: { VERIFY_PROOF_TIMEOUT_MS: '8000', DECISION_VERIFICATION_TIMEOUT_MS: '120000' },
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  const final = (id: string) =>
    engine.waitFor(`final event of ${id}`, () =>
      engine
        .decisionEvents(id)
        .find((e) => ['decision.verified', 'decision.rolled_back', 'decision.failed'].includes(e.type)),
    );

  it('compensates when cancelled during verification', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await engine.waitFor('decision.acted', () => engine.decisionEvents(id).find((e) => e.type === 'decision.acted'));
    // Below the threshold nothing awaits approval: the validator refuses an approve while the decision verifies.
    const refusal = await engine.client.workflow
      .getHandle(id)
      .executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(/not awaiting approval/);

    await engine.emit(requisitionCancelled(requisition.requisitionId));
    expect(await final(id)).toMatchObject({
      type: 'decision.rolled_back',
      data: { failedCheck: 'cancelled', reason: 'cancelled by buyer@example.com: customer withdrew the order' },
    });
    const [order] = await engine.erp.listPurchaseOrders({ decisionId: id });
    expect(order?.status).toBe('cancelled');
    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    // A cancel is not the node's fault: no dispute, no flag.
    expect(audit.compensations.map((c) => c.action)).toEqual(['cancelPurchaseOrder', 'releaseBudget']);
  });

  it('rolls back when the proof check times out', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    expect(await final(id)).toMatchObject({
      type: 'decision.rolled_back',
      data: { failedCheck: 'proof', reason: expect.stringContaining('timeout: check_timeout') },
    });
    expect((await engine.erp.listPurchaseOrders({ decisionId: id }))[0]?.status).toBe('cancelled');
  });
});
