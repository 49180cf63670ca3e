// Money follows verification (PAYMENT_SETTLEMENT_MODE=escrow): a verified decision's payment is captured to the node,
// a rolled-back one's is refunded to the payer, each with its transaction in the audit and on the decision event.
import { anvilAccounts } from '../../../src/config';
import { createEscrowContract, ensureEscrowContracts } from '../../../src/chain';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { holdIdOfPaymentRef } from '../../../src/decisions/payment-escrow';
import { auditQuery } from '../../../src/contracts/decision-messages';
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
