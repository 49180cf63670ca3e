// Money follows verification (PAYMENT_SETTLEMENT_MODE=escrow): a verified decision's payment is captured to the node,
// a rolled-back one's is refunded to the payer, each with its transaction in the audit and on the decision event.
import { anvilAccounts } from '../../../src/config';
import { createEscrowContract, ensureEscrowContracts } from '../../../src/chain';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { holdIdOfPaymentRef } from '../../../src/decisions/payment-escrow';
import { auditQuery, cancelSignal, rejectUpdate, statusQuery } from '../../../src/contracts/decision-messages';
import type { DecisionEvent } from '../../../src/contracts/events';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, requisitionCreated } from './support/events';

async function escrowEngine(payerIndex: number, faults?: ['wrong_output']): Promise<Engine> {
  // Its own payer account, so balances are this suite's alone.
  const engine = await startEngine({
    settlementMode: 'escrow',
    faults,
    env: { PAYER_PRIVATE_KEY: anvilAccounts()[payerIndex]!.privateKey },
  });
  await ensureEscrowContracts(engine.config);
  return engine;
}

describe('escrowed decisions with an honest node', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await escrowEngine(31);
  });
  afterAll(() => engine?.close());

  it('captures the payment to the node once verified; the capture transaction is in the audit', async () => {
    const nodeBefore = await engine.payments.balanceOf(engine.payments.nodeAddress);
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const event = await engine.waitFor('final event', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );
    expect(event.type).toBe('decision.verified');

    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.inferences.every((i) => i.settlementMode === 'escrow')).toBe(true);
    const captures = audit.actions.filter((a) => a.action === 'capturePayment');
    expect(captures).toHaveLength(audit.inferences.length);
    const escrow = createEscrowContract(engine.config);
    for (const [index, inference] of audit.inferences.entries()) {
      const holdId = holdIdOfPaymentRef(inference.paymentRef);
      const hold = await escrow.holdOf(holdId);
      expect(hold).toMatchObject({ state: 'captured', receiver: engine.payments.nodeAddress });
      const capture = (await escrow.eventsOf(holdId)).find((e) => e.step === 'capture');
      expect(captures[index]?.reference).toBe(capture?.transaction);
    }
    const paid = BigInt(engine.config.payments.defaultPrice) * BigInt(audit.inferences.length);
    await expect(engine.payments.balanceOf(engine.payments.nodeAddress)).resolves.toBe(nodeBefore + paid);
  });
});

describe('escrowed decisions with a node that returns manipulated outputs', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await escrowEngine(32, ['wrong_output']);
  });
  afterAll(() => engine?.close());

  it('refunds the payer on rollback: refundPayment replaces disputePayment, with the refund transaction on decision.rolled_back', async () => {
    const payer = anvilAccounts()[32]!.address;
    const payerBefore = await engine.payments.balanceOf(payer);
    const nodeBefore = await engine.payments.balanceOf(engine.payments.nodeAddress);
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const event = await engine.waitFor('final event', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );
    expect(event.type).toBe('decision.rolled_back');

    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'cancelPurchaseOrder:done',
      'releaseBudget:done',
      ...audit.inferences.map(() => 'refundPayment:done'),
      'flagNode:done',
    ]);
    const refunds = audit.compensations.filter((c) => c.action === 'refundPayment');
    const escrow = createEscrowContract(engine.config);
    for (const refund of refunds) {
      const events = await escrow.eventsOf(holdIdOfPaymentRef(refund.reference));
      expect(refund.transaction).toBe(events.find((e) => e.step === 'refund')?.transaction);
      expect(refund.note).toMatch(/refunded to the payer/);
    }
    expect(event.data.compensations?.filter((c) => c.action === 'refundPayment').map((c) => c.transaction)).toEqual(
      refunds.map((r) => r.transaction),
    );
    // On chain: the payer has every token back, the node got nothing.
    await expect(engine.payments.balanceOf(payer)).resolves.toBe(payerBefore);
    await expect(engine.payments.balanceOf(engine.payments.nodeAddress)).resolves.toBe(nodeBefore);
  });
});

describe('escrowed decisions rolled back for a reason other than verification', () => {
  let engine: Engine;
  beforeAll(async () => {
    // Orders above 5,000 need approval (the large order is 900 × 9.80 = 8,820), so a decision waits for the ERP.
    engine = await startEngine({
      settlementMode: 'escrow',
      env: {
        PAYER_PRIVATE_KEY: anvilAccounts()[33]!.privateKey,
        DECISION_APPROVAL_THRESHOLD: '5000',
        DECISION_APPROVAL_TIMEOUT_MS: '120000',
      },
    });
    await ensureEscrowContracts(engine.config);
  });
  afterAll(() => engine?.close());

  const awaitingApproval = (id: string) =>
    engine.waitFor(`${id} awaiting approval`, async () =>
      (
        await engine.client.workflow
          .getHandle(id)
          .query(statusQuery)
          .catch(() => undefined)
      )?.status === 'AWAITING_APPROVAL'
        ? true
        : undefined,
    );
  const rolledBack = (id: string) =>
    engine.waitFor(`final event of ${id}`, () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );

  /** Each payment refunded on chain by the refund transaction the audit and the event name; no dispute, no flag. */
  async function expectRefundedAtOnce(id: string, event: DecisionEvent, reasonPattern: RegExp): Promise<void> {
    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.inferences.length).toBeGreaterThan(0);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'releaseBudget:done',
      ...audit.inferences.map(() => 'refundPayment:done'),
    ]);
    const escrow = createEscrowContract(engine.config);
    for (const refund of audit.compensations.filter((c) => c.action === 'refundPayment')) {
      const holdId = holdIdOfPaymentRef(refund.reference);
      await expect(escrow.holdOf(holdId)).resolves.toMatchObject({ state: 'refunded' });
      const onChain = (await escrow.eventsOf(holdId)).find((e) => e.step === 'refund');
      expect(refund.transaction).toBe(onChain?.transaction);
      expect(onChain?.reason).toMatch(reasonPattern);
    }
    expect(event.data.compensations?.filter((c) => c.action === 'refundPayment').map((c) => c.transaction)).toEqual(
      audit.compensations.filter((c) => c.action === 'refundPayment').map((c) => c.transaction),
    );
  }

  it('refunds the payer at once when the approver rejects, without flagging the node', async () => {
    const payer = anvilAccounts()[33]!.address;
    const payerBefore = await engine.payments.balanceOf(payer);
    const nodeBefore = await engine.payments.balanceOf(engine.payments.nodeAddress);
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await awaitingApproval(id);
    await engine.client.workflow
      .getHandle(id)
      .executeUpdate(rejectUpdate, { args: [{ approver: 'cfo@example.com', reason: 'supplier on watch list' }] });
    const event = await rolledBack(id);
    expect(event).toMatchObject({ type: 'decision.rolled_back', data: { failedCheck: 'approval' } });
    await expectRefundedAtOnce(id, event, /decision rolled back: rejected by cfo@example.com: supplier on watch list/);
    // On chain: the payer has every token back, long before the capture deadline; the node got nothing.
    await expect(engine.payments.balanceOf(payer)).resolves.toBe(payerBefore);
    await expect(engine.payments.balanceOf(engine.payments.nodeAddress)).resolves.toBe(nodeBefore);
  });

  it('refunds the payer at once when the decision is cancelled', async () => {
    const payer = anvilAccounts()[33]!.address;
    const payerBefore = await engine.payments.balanceOf(payer);
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await awaitingApproval(id);
    await engine.client.workflow
      .getHandle(id)
      .signal(cancelSignal, { requestedBy: 'planner@example.com', reason: 'demand withdrawn' });
    const event = await rolledBack(id);
    expect(event.data).toMatchObject({ failedCheck: 'cancelled' });
    await expectRefundedAtOnce(id, event, /decision rolled back: cancelled by planner@example.com: demand withdrawn/);
    await expect(engine.payments.balanceOf(payer)).resolves.toBe(payerBefore);
  });
});
