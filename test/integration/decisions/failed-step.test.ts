// A step that fails for good after the decision paid and held budget rolls the decision back (FAILED) instead of
// failing the workflow with its effects in place; the ERP refusing the purchase order is such a step.
import { ApplicationFailure } from '@temporalio/common';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery } from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, requisitionCreated } from './support/events';

describe('a decision whose purchase order the ERP refuses', () => {
  let engine: Engine;
  let reservations = 0;
  beforeAll(async () => {
    engine = await startEngine({
      activityOverrides: () => ({
        async reservePurchaseOrder() {
          reservations++;
          throw ApplicationFailure.create({
            type: 'ErpValidationError',
            message: 'supplier is blocked for new orders',
            nonRetryable: true,
          });
        },
      }),
    });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('releases the budget hold, publishes decision.failed with the step and reason, and is findable as FAILED', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const failed = await engine.waitFor('decision.failed', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.failed'),
    );

    expect(failed.data.failedCheck).toBe('activity');
    expect(failed.data.reason).toMatch(/reservePurchaseOrder.*supplier is blocked/);
    expect(engine.decisionEvents(id).map((e) => e.type)).toEqual(['decision.failed']);
    expect(reservations).toBe(1); // non-retryable: not retried
    expect((await engine.erp.listBudgetHolds({ decisionId: id })).map((h) => h.status)).toEqual(['released']);
    expect(await engine.erp.listPurchaseOrders({ decisionId: id })).toEqual([]);

    const handle = engine.client.workflow.getHandle(id);
    await expect(handle.result()).resolves.toMatchObject({ status: 'FAILED', failedCheck: 'activity' });
    const audit = await handle.query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual(['releaseBudget:done']);
    expect(audit.inferences).toHaveLength(1);
    const { executions } = await engine.client.workflowService.listWorkflowExecutions({
      namespace: engine.config.temporal.namespace,
      query: `DecisionStatus = "FAILED" AND WorkflowId = '${id}'`,
    });
    expect(executions).toHaveLength(1);
  });
});
