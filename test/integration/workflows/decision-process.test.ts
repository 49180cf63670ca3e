// Every branch of the decision process (workflows/decision-process.ts) with scripted activities: no Kafka, no anvil,
// no node. It NEEDS a Temporal server: the running dev server (127.0.0.1:7233, TestWorkflowEnvironment.
// createFromExistingServer), because the time-skipping test server is a binary downloaded from the internet, which
// these machines cannot reach. Without time skipping the timeouts are set to fractions of a second instead.
// Each test runs its decision on a unique task queue and workflow id; the workflow bundle is the run's global one.
import fs from 'node:fs';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DecisionSettings, DecisionStatusValue } from '../../../src/contracts/decision';
import {
  amendUpdate,
  approveUpdate,
  cancelSignal,
  rejectUpdate,
  statusQuery,
} from '../../../src/contracts/decision-messages';
import type { DecisionOutcome } from '../../../src/contracts/decision-outcome';
import type { Requisition, Shipment } from '../../../src/contracts/logistics';
import { testConfig } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { buildRequisition, buildShipment } from '../decisions/support/events';
import { createFakeActivities, type FakeActivities, type FakeOptions } from './support/fake-activities';

const config = testConfig();
let env: TestWorkflowEnvironment;
let bundle: string;

beforeAll(async () => {
  const file = process.env.PROOFPATH_TEST_WORKFLOW_BUNDLE;
  if (!file)
    throw new Error(
      'PROOFPATH_TEST_WORKFLOW_BUNDLE is unset: run through jest (the global setup bundles the workflows)',
    );
  bundle = fs.readFileSync(file, 'utf8');
  env = await TestWorkflowEnvironment.createFromExistingServer({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
  });
});
afterAll(async () => {
  await env?.teardown();
});

const settings = (overrides: Partial<DecisionSettings> = {}): DecisionSettings => ({
  approvalThreshold: 1_000_000,
  approvalTimeoutMs: 60_000,
  escalationTimeoutMs: 60_000,
  verificationTimeoutMs: 60_000,
  maxAttempts: 1,
  ...overrides,
});

type Run = { fakes: FakeActivities; id: string; outcome: Promise<DecisionOutcome> };

/** Starts a decision on its own worker; `during` runs while the worker is up (messages to the decision), then the outcome. */
async function decide(
  kind: 'procurement' | 'routing',
  input: { requisition?: Requisition; shipment?: Shipment; settings: DecisionSettings },
  options: FakeOptions,
  during: (run: Run) => Promise<void> = async () => {},
): Promise<{ outcome: DecisionOutcome; fakes: FakeActivities }> {
  const taskQueue = uniqueName('wf-test');
  const fakes = createFakeActivities(env.client, options);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: { code: bundle },
    activities: fakes.activities,
  });
  return worker.runUntil(async () => {
    const id = uniqueName(kind);
    const handle = await env.client.workflow.start(kind === 'procurement' ? 'procurementDecision' : 'routingDecision', {
      taskQueue,
      workflowId: id,
      args: [input],
    });
    const outcome = handle.result() as Promise<DecisionOutcome>;
    await during({ fakes, id, outcome });
    return { outcome: await outcome, fakes };
  });
}

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const untilStatus = (id: string, status: DecisionStatusValue) =>
  until(
    `${id} to be ${status}`,
    async () => (await env.client.workflow.getHandle(id).query(statusQuery)).status === status,
  );

/** Round 1 asks again: the second decision.awaiting_approval has been published. */
const untilSecondApprovalRequest = (fakes: FakeActivities) =>
  until(
    'a second approval request',
    () => fakes.callsOf('publishDecisionEvent').filter((e) => e.type === 'decision.awaiting_approval').length === 2,
  );

const names = (fakes: FakeActivities) => fakes.calls.map((c) => c.name);
const eventTypes = (fakes: FakeActivities) => fakes.callsOf('publishDecisionEvent').map((e) => e.type);

/** A gate the scripted payAndInfer waits on: the test opens it once it has messaged the paying decision. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let first = true;
  return { open, wait: () => (first ? ((first = false), opened) : Promise.resolve()) };
}

describe('the decision process', () => {
  it('verifies a small order without approval: pay, hold, reserve, verify, confirm, and returns the audit', async () => {
    const requisition = buildRequisition();
    const { outcome, fakes } = await decide('procurement', { requisition, settings: settings() }, {});
    expect(outcome).toMatchObject({ status: 'VERIFIED', code: 'verified', attempt: 1, reference: 'po-1' });
    expect(outcome.failedCheck).toBeUndefined();
    expect(names(fakes)).toEqual([
      'payAndInfer',
      'holdBudget',
      'reservePurchaseOrder',
      'publishDecisionEvent',
      'requestVerification',
      'confirmPurchaseOrder',
      'publishDecisionEvent',
    ]);
    expect(eventTypes(fakes)).toEqual(['decision.acted', 'decision.verified']);
    expect(fakes.callsOf('publishDecisionEvent')[1]).toMatchObject({
      code: 'verified',
      action: { type: 'purchase_order.reserved', poId: 'po-1', holdId: 'hold-1-0', reference: 'po-1' },
    });
    expect(outcome.audit).toMatchObject({
      decisionId: outcome.decisionId,
      status: 'VERIFIED',
      approval: { outcome: 'not_required' },
      outcome: { status: 'VERIFIED', code: 'verified' },
    });
    expect(outcome.audit.inferences.map((i) => i.step)).toEqual(['supplier-risk#0']);
    expect(outcome.audit.verifications).toHaveLength(1);
  });

  it('waits for approval of a large order and verifies it once approved', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings({ approvalThreshold: 100 }) },
      {},
      async ({ id }) => {
        await untilStatus(id, 'AWAITING_APPROVAL');
        await env.client.workflow
          .getHandle(id)
          .executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com', comment: 'fine' }] });
      },
    );
    expect(outcome).toMatchObject({ status: 'VERIFIED', code: 'verified' });
    expect(outcome.audit.approval).toEqual({ outcome: 'approved', by: 'cfo@example.com', reason: 'fine' });
    expect(eventTypes(fakes)).toEqual(['decision.awaiting_approval', 'decision.acted', 'decision.verified']);
  });

  it('rolls back a rejected order: releases the budget hold, reserves nothing', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings({ approvalThreshold: 100 }) },
      {},
      async ({ id }) => {
        await untilStatus(id, 'AWAITING_APPROVAL');
        await env.client.workflow
          .getHandle(id)
          .executeUpdate(rejectUpdate, { args: [{ approver: 'cfo@example.com', reason: 'over budget' }] });
      },
    );
    expect(outcome).toMatchObject({
      status: 'ROLLED_BACK',
      code: 'approval_rejected',
      failedCheck: 'approval',
      reason: 'rejected by cfo@example.com: over budget',
    });
    expect(names(fakes)).not.toContain('reservePurchaseOrder');
    expect(fakes.callsOf('releaseBudget')).toEqual([
      expect.objectContaining({ holdId: 'hold-1-0', reason: 'decision rolled back' }),
    ]);
    expect(fakes.callsOf('publishDecisionEvent').at(-1)).toMatchObject({
      type: 'decision.rolled_back',
      code: 'approval_rejected',
      failedCheck: 'approval',
    });
  });

  it('escalates an unanswered approval, then rolls back with approval_timeout', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      {
        requisition: buildRequisition(),
        settings: settings({ approvalThreshold: 100, approvalTimeoutMs: 300, escalationTimeoutMs: 300 }),
      },
      {},
    );
    expect(outcome).toMatchObject({ status: 'ROLLED_BACK', code: 'approval_timeout', failedCheck: 'approval' });
    expect(eventTypes(fakes)).toEqual(['decision.awaiting_approval', 'decision.escalated', 'decision.rolled_back']);
    expect(fakes.callsOf('releaseBudget')).toHaveLength(1);
  });

  it('re-decides an order amended while awaiting approval: the old hold is released and a new one taken for the new value', async () => {
    const requisition = buildRequisition({ quantity: 300 });
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition, settings: settings({ approvalThreshold: 100 }) },
      {},
      async ({ id, fakes }) => {
        const handle = env.client.workflow.getHandle(id);
        await untilStatus(id, 'AWAITING_APPROVAL');
        await handle.executeUpdate(amendUpdate, { args: [{ amendedBy: 'planner', quantity: 600 }] });
        // The amended order needs its own approval (round 1).
        await untilSecondApprovalRequest(fakes);
        await handle.executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com' }] });
      },
    );
    expect(outcome).toMatchObject({ status: 'VERIFIED', code: 'verified' });
    const holds = fakes.callsOf('holdBudget');
    expect(holds).toHaveLength(2);
    expect(holds[1]).toMatchObject({ round: 1 });
    expect(holds[1]?.amount).toBeGreaterThan(holds[0]?.amount as number);
    expect(holds[0]).not.toHaveProperty('round');
    expect(fakes.callsOf('releaseBudget')).toEqual([
      expect.objectContaining({ holdId: 'hold-1-0', reason: expect.stringMatching(/^order amended in round 1/) }),
    ]);
    expect(fakes.callsOf('reservePurchaseOrder')[0]).toMatchObject({ quantity: 600 });
    expect(fakes.callsOf('publishDecisionEvent').find((e) => e.type === 'decision.acted')).toMatchObject({
      action: { holdId: 'hold-1-1', quantity: 600 },
    });
    expect(fakes.callsOf('payAndInfer').map((p) => p.step)).toEqual(['supplier-risk#0', 'supplier-risk#1']);
  });

  it('re-decides an order amended while paying, before acting on the old one', async () => {
    const paying = gate();
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition({ quantity: 300 }), settings: settings() },
      { payGate: paying.wait },
      async ({ id }) => {
        await untilStatus(id, 'PAYING');
        await env.client.workflow
          .getHandle(id)
          .executeUpdate(amendUpdate, { args: [{ amendedBy: 'planner', quantity: 400 }] });
        paying.open();
      },
    );
    expect(outcome).toMatchObject({ status: 'VERIFIED' });
    expect(fakes.callsOf('payAndInfer').map((p) => p.step)).toEqual(['supplier-risk#0', 'supplier-risk#1']);
    expect(fakes.callsOf('reservePurchaseOrder')).toEqual([expect.objectContaining({ quantity: 400 })]);
    expect(fakes.callsOf('releaseBudget')).toHaveLength(1);
  });

  it('keeps the budget hold when an amendment leaves the order value unchanged', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings({ approvalThreshold: 100 }) },
      {},
      async ({ id, fakes }) => {
        const handle = env.client.workflow.getHandle(id);
        await untilStatus(id, 'AWAITING_APPROVAL');
        await handle.executeUpdate(amendUpdate, { args: [{ amendedBy: 'planner', neededBy: '2026-12-20' }] });
        await untilSecondApprovalRequest(fakes);
        await handle.executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com' }] });
      },
    );
    expect(outcome).toMatchObject({ status: 'VERIFIED' });
    expect(fakes.callsOf('holdBudget')).toHaveLength(1);
    expect(fakes.callsOf('releaseBudget')).toHaveLength(0);
    expect(fakes.callsOf('reservePurchaseOrder')[0]).toMatchObject({ neededBy: '2026-12-20' });
  });

  describe('cancel', () => {
    const cancel = (id: string) =>
      env.client.workflow.getHandle(id).signal(cancelSignal, { requestedBy: 'buyer@example.com', reason: 'withdrawn' });

    it('while paying: releases the hold taken after deciding, acts on nothing', async () => {
      const paying = gate();
      const { outcome, fakes } = await decide(
        'procurement',
        { requisition: buildRequisition(), settings: settings() },
        { payGate: paying.wait },
        async ({ id }) => {
          await untilStatus(id, 'PAYING');
          await cancel(id);
          paying.open();
        },
      );
      expect(outcome).toMatchObject({
        status: 'ROLLED_BACK',
        code: 'cancelled',
        failedCheck: 'cancelled',
        reason: 'cancelled by buyer@example.com: withdrawn',
      });
      expect(names(fakes)).toEqual(['payAndInfer', 'holdBudget', 'releaseBudget', 'publishDecisionEvent']);
    });

    it('while awaiting approval: releases the hold', async () => {
      const { outcome, fakes } = await decide(
        'procurement',
        { requisition: buildRequisition(), settings: settings({ approvalThreshold: 100 }) },
        {},
        async ({ id }) => {
          await untilStatus(id, 'AWAITING_APPROVAL');
          await cancel(id);
        },
      );
      expect(outcome).toMatchObject({ status: 'ROLLED_BACK', code: 'cancelled', failedCheck: 'cancelled' });
      expect(names(fakes).filter((n) => n !== 'publishDecisionEvent')).toEqual([
        'payAndInfer',
        'holdBudget',
        'releaseBudget',
      ]);
    });

    it('while verifying: cancels the order, then releases the hold; no dispute, no flag', async () => {
      const { outcome, fakes } = await decide(
        'procurement',
        { requisition: buildRequisition(), settings: settings() },
        { verdicts: { 'node-a': { kind: 'silent' } } },
        async ({ id }) => {
          await untilStatus(id, 'VERIFYING');
          await cancel(id);
        },
      );
      expect(outcome).toMatchObject({ status: 'ROLLED_BACK', code: 'cancelled', failedCheck: 'cancelled' });
      expect(outcome.audit.compensations.map((c) => c.action)).toEqual(['cancelPurchaseOrder', 'releaseBudget']);
      expect(names(fakes)).not.toContain('disputePayment');
    });
  });

  it('rolls back a failed check: undo newest first, then dispute each payment and flag the node', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings() },
      { verdicts: { 'node-a': { kind: 'fail', check: 'proof', reason: 'proof_output_mismatch' } } },
    );
    expect(outcome).toMatchObject({
      status: 'ROLLED_BACK',
      code: 'verification_failed',
      failedCheck: 'proof',
      reason: expect.stringMatching(/^fail: proof_output_mismatch \(receipt receipt-1\)$/),
    });
    expect(outcome.audit.compensations.map((c) => `${c.action} ${c.reference} ${c.outcome}`)).toEqual([
      'cancelPurchaseOrder po-1 done',
      'releaseBudget hold-1-0 done',
      'disputePayment payment-receipt-1 done',
      'flagNode node-a done',
    ]);
    expect(fakes.callsOf('hasAlternateNode')).toHaveLength(0); // maxAttempts 1: no re-decision to look for
  });

  it('rolls back with verification_timeout when no verdict comes in time', async () => {
    const { outcome } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings({ verificationTimeoutMs: 300 }) },
      { verdicts: { 'node-a': { kind: 'silent' } } },
    );
    expect(outcome).toMatchObject({
      status: 'ROLLED_BACK',
      code: 'verification_timeout',
      failedCheck: 'verification',
      reason: expect.stringMatching(/^verification_timeout: no verdict within 300 ms for receipt-1$/),
    });
    expect(outcome.audit.compensations.map((c) => c.action)).toEqual([
      'cancelPurchaseOrder',
      'releaseBudget',
      'disputePayment',
      'flagNode',
    ]);
  });

  it('fails a decision whose step fails for good, undoing what was done', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings() },
      { failing: { reservePurchaseOrder: 'supplier is blocked' } },
    );
    expect(outcome).toMatchObject({
      status: 'FAILED',
      code: 'activity_failed',
      failedCheck: 'activity',
      reason: expect.stringMatching(/^activity_failed: reservePurchaseOrder: supplier is blocked/),
    });
    expect(fakes.callsOf('releaseBudget')).toHaveLength(1);
    expect(fakes.callsOf('publishDecisionEvent').at(-1)).toMatchObject({
      type: 'decision.failed',
      code: 'activity_failed',
    });
  });

  it('fails a decision the policy refuses (no supplier within budget) and releases nothing it did not hold', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition({ budget: { amount: 10, currency: 'USDC' } }), settings: settings() },
      {},
    );
    expect(outcome).toMatchObject({
      status: 'FAILED',
      code: 'no_supplier_within_budget',
      failedCheck: 'decision',
      reason: expect.stringMatching(/^no_supplier_within_budget: cheapest order \S+ > budget 10$/),
    });
    expect(names(fakes)).toEqual(['payAndInfer', 'publishDecisionEvent']);
  });

  it('re-decides with another node after a failed check and verifies there, carrying the first attempt in the audit', async () => {
    const { outcome, fakes } = await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings({ maxAttempts: 2 }) },
      {
        hasAlternateNode: true,
        verdicts: { 'node-a': { kind: 'fail', check: 'reexecution', reason: 'reexecution_output_mismatch' } },
      },
    );
    expect(outcome).toMatchObject({ status: 'VERIFIED', code: 'verified', attempt: 2, reference: 'po-2' });
    expect(fakes.callsOf('payAndInfer').map((p) => p.excludeNodeIds)).toEqual([[], ['node-a']]);
    expect(fakes.callsOf('hasAlternateNode')).toEqual([
      { excludeNodeIds: ['node-a'], modelIds: ['sha256:supplier-risk'] },
    ]);
    expect(outcome.audit.previousAttempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: expect.objectContaining({
          status: 'ROLLED_BACK',
          code: 'verification_failed',
          failedCheck: 'reexecution',
        }),
      }),
    ]);
    expect(outcome.audit.inferences.map((i) => i.nodeId)).toEqual(['node-b']);
  });

  it('tenders, verifies and confirms a routing decision (no budget hold)', async () => {
    const { outcome, fakes } = await decide('routing', { shipment: buildShipment(), settings: settings() }, {});
    expect(outcome).toMatchObject({ status: 'VERIFIED', code: 'verified', reference: 'tender-1' });
    expect(names(fakes)).toEqual([
      'payAndInfer',
      'tenderLoad',
      'publishDecisionEvent',
      'requestVerification',
      'confirmTender',
      'publishDecisionEvent',
    ]);
    expect(fakes.callsOf('tenderLoad')[0]).toMatchObject({
      routeId: expect.any(String),
      carrierId: expect.any(String),
    });
  });

  it('refuses an approval while no approval is pending', async () => {
    const paying = gate();
    let refusal: unknown;
    await decide(
      'procurement',
      { requisition: buildRequisition(), settings: settings() },
      { payGate: paying.wait },
      async ({ id }) => {
        await untilStatus(id, 'PAYING');
        refusal = await env.client.workflow
          .getHandle(id)
          .executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com' }] })
          .catch((e: unknown) => e);
        paying.open();
      },
    );
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(/is PAYING, not awaiting approval/);
  });
});
