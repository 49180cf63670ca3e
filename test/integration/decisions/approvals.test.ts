// ERP messages into running decisions on the real stack: approval above the threshold (approve proceeds, reject
// compensates), validators that refuse bad updates, and amend.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import {
  amendUpdate,
  approveUpdate,
  auditQuery,
  rejectUpdate,
  statusQuery,
} from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, requisitionCreated } from './support/events';

describe('ERP approvals, amendments and cancellation', () => {
  let engine: Engine;
  beforeAll(async () => {
    // Orders above 5,000 need approval; the example order is 300 × 9.80 = 2,940, the large one 900 × 9.80 = 8,820.
    engine = await startEngine({
      env: { DECISION_APPROVAL_THRESHOLD: '5000', DECISION_APPROVAL_TIMEOUT_MS: '120000' },
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  /** The validator's message of a refused update (Temporal wraps it as the cause of WorkflowUpdateFailedError). */
  const updateRefusal = async (update: Promise<unknown>): Promise<string> => {
    const error = await update.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause?.message ?? '';
  };
  const status = (id: string) => engine.client.workflow.getHandle(id).query(statusQuery);
  const awaiting = (id: string) =>
    engine.waitFor(`${id} awaiting approval`, async () =>
      (await status(id).catch(() => undefined))?.status === 'AWAITING_APPROVAL' ? true : undefined,
    );
  const final = (id: string) =>
    engine.waitFor(`final event of ${id}`, () =>
      engine
        .decisionEvents(id)
        .find((e) => ['decision.verified', 'decision.rolled_back', 'decision.failed'].includes(e.type)),
    );

  it('waits for approval above the threshold and proceeds on approve', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await awaiting(id);
    expect(await engine.erp.listPurchaseOrders({ decisionId: id })).toHaveLength(0);
    await engine.waitFor('decision.awaiting_approval', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.awaiting_approval'),
    );

    const handle = engine.client.workflow.getHandle(id);
    await expect(handle.executeUpdate(approveUpdate, { args: [{ approver: '' } as never] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    expect(
      await updateRefusal(
        handle.executeUpdate(approveUpdate, {
          args: [{ approver: 'cfo@example.com', comment: 'ok', extra: 1 } as never],
        }),
      ),
    ).toMatch(/Unrecognized key/);
    await expect(
      handle.executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com', comment: 'within plan' }] }),
    ).resolves.toMatchObject({ accepted: true });
    // Once approved, the order goes ahead: a late reject (or a second approval) is refused, never silently recorded.
    expect(
      await updateRefusal(
        handle.executeUpdate(rejectUpdate, { args: [{ approver: 'cfo@example.com', reason: 'changed my mind' }] }),
      ),
    ).toMatch(/already approved|not awaiting approval/);

    expect((await final(id)).type).toBe('decision.verified');
    const [order] = await engine.erp.listPurchaseOrders({ decisionId: id });
    expect(order?.status).toBe('confirmed');
    expect((await handle.query(auditQuery)).approval).toMatchObject({ outcome: 'approved', by: 'cfo@example.com' });
    // A finished decision takes no more updates.
    await expect(handle.executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com' }] })).rejects.toThrow(
      /already completed/,
    );
  });

  it('compensates on reject: the budget hold is released and no PO is reserved', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await awaiting(id);
    await engine.client.workflow
      .getHandle(id)
      .executeUpdate(rejectUpdate, { args: [{ approver: 'cfo@example.com', reason: 'supplier on watch list' }] });
    const event = await final(id);
    expect(event).toMatchObject({
      type: 'decision.rolled_back',
      data: { failedCheck: 'approval', reason: 'rejected by cfo@example.com: supplier on watch list' },
    });
    expect(await engine.erp.listPurchaseOrders({ decisionId: id })).toHaveLength(0);
    expect((await engine.erp.listBudgetHolds({ decisionId: id })).map((h) => h.status)).toEqual(['released']);
  });

  it('re-decides with an amended quantity before acting', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await awaiting(id);
    const handle = engine.client.workflow.getHandle(id);
    expect(
      await updateRefusal(handle.executeUpdate(amendUpdate, { args: [{ amendedBy: 'planner', quantity: -5 }] })),
    ).toMatch(/quantity: must be greater than 0/);
    await handle.executeUpdate(amendUpdate, { args: [{ amendedBy: 'planner', quantity: 350 }] });
    expect((await final(id)).type).toBe('decision.verified');
    const [order] = await engine.erp.listPurchaseOrders({ decisionId: id });
    expect(order).toMatchObject({ quantity: 350, status: 'confirmed' });
    expect((await handle.query(auditQuery)).inferences).toHaveLength(2); // the amended order was scored again
  });
});

describe('an approval that never comes', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({
      env: {
        DECISION_APPROVAL_THRESHOLD: '5000',
        DECISION_APPROVAL_TIMEOUT_MS: '1500',
        DECISION_ESCALATION_TIMEOUT_MS: '1500',
      },
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('escalates after the approval timeout, then rolls back as approval_timeout and releases the budget', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const final = await engine.waitFor('decision.rolled_back', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back'),
    );

    expect(engine.decisionEvents(id).map((e) => e.type)).toEqual([
      'decision.awaiting_approval',
      'decision.escalated',
      'decision.rolled_back',
    ]);
    expect(final.data).toMatchObject({ failedCheck: 'approval', reason: expect.stringMatching(/^approval_timeout/) });
    expect(await engine.erp.listPurchaseOrders({ decisionId: id })).toHaveLength(0);
    expect((await engine.erp.listBudgetHolds({ decisionId: id })).map((h) => h.status)).toEqual(['released']);
    expect((await engine.client.workflow.getHandle(id).query(auditQuery)).approval).toMatchObject({
      outcome: 'escalated',
    });
  });
});
