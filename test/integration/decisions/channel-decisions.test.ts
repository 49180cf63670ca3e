// Money follows verification in channel mode (PAYMENT_SETTLEMENT_MODE=channel), on real Temporal, Kafka and anvil: a
// verified decision's charges are recorded for the next batch claim (and claimed, paying the node); a rolled-back
// decision's charges are refunded from the channel to the payer, each refund transaction in the audit and on
// decision.rolled_back, whether the node was at fault or the approver rejected the order.
import { anvilAccounts } from '../../../src/config';
import { createChannelContract, ensureChannelContracts } from '../../../src/chain';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery, rejectUpdate, statusQuery } from '../../../src/contracts/decision-messages';
import { chargeOfPaymentRef } from '../../../src/decisions/payment-channel';
import { startEngine, type Engine } from './support/engine';
import { buildRequisition, requisitionCreated } from './support/events';

async function channelEngine(payerIndex: number, faults?: ['wrong_output']): Promise<Engine> {
  // Its own payer account, so balances are this suite's alone; a claim batch of one charge, so the node is paid at once.
  const engine = await startEngine({
    settlementMode: 'channel',
    faults,
    env: { PAYER_PRIVATE_KEY: anvilAccounts()[payerIndex]!.privateKey, PAYMENT_CHANNEL_CLAIM_BATCH_SIZE: '1' },
  });
  await ensureChannelContracts(engine.config);
  return engine;
}

async function finalEvent(engine: Engine, id: string) {
  return engine.waitFor('final event', () =>
    engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
  );
}

describe('channel-mode decisions with an honest node', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await channelEngine(34);
  });
  afterAll(() => engine?.close());

  it('records a claim for each verified charge; the batch claim pays the node', async () => {
    const nodeBefore = await engine.payments.balanceOf(engine.payments.nodeAddress);
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    expect((await finalEvent(engine, id)).type).toBe('decision.verified');

    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.inferences.every((i) => i.settlementMode === 'channel')).toBe(true);
    const claims = audit.actions.filter((a) => a.action === 'claimChannelCharge');
    expect(claims).toHaveLength(audit.inferences.length);
    const channels = createChannelContract(engine.config);
    const price = BigInt(engine.config.payments.defaultPrice);
    await engine.waitFor('claims on chain', async () => {
      const states = await Promise.all(
        audit.inferences.map((i) => {
          const { channelId, cumulative } = chargeOfPaymentRef(i.paymentRef);
          return channels.chargeStateOf(channelId, cumulative);
        }),
      );
      return states.every((s) => s === 'claimed') || undefined;
    });
    await expect(engine.payments.balanceOf(engine.payments.nodeAddress)).resolves.toBe(
      nodeBefore + price * BigInt(audit.inferences.length),
    );
  });
});

describe('channel-mode decisions with a node that returns manipulated outputs', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await channelEngine(35, ['wrong_output']);
  });
  afterAll(() => engine?.close());

  it('refunds each charge from the channel on rollback, with the refund transaction in the audit and on the event', async () => {
    const payer = anvilAccounts()[35]!.address;
    const payerBefore = await engine.payments.balanceOf(payer);
    const nodeBefore = await engine.payments.balanceOf(engine.payments.nodeAddress);
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const event = await finalEvent(engine, id);
    expect(event.type).toBe('decision.rolled_back');

    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'cancelPurchaseOrder:done',
      'releaseBudget:done',
      ...audit.inferences.map(() => 'refundPayment:done'),
      'flagNode:done',
    ]);
    const refunds = audit.compensations.filter((c) => c.action === 'refundPayment');
    const channels = createChannelContract(engine.config);
    for (const refund of refunds) {
      const { channelId, cumulative } = chargeOfPaymentRef(refund.reference);
      await expect(channels.chargeStateOf(channelId, cumulative)).resolves.toBe('refunded');
      expect(refund.transaction).toBe(await channels.chargeTransactionOf(channelId, cumulative));
      expect(refund.note).toMatch(/refunded to the payer from the payment channel/);
    }
    expect(event.data.compensations?.filter((c) => c.action === 'refundPayment').map((c) => c.transaction)).toEqual(
      refunds.map((r) => r.transaction),
    );
    // On chain: the refunded charges are back with the payer (the rest of the deposit stays in the channel, open for
    // later inferences or the payer's withdrawal); the node got nothing.
    const { channelId } = chargeOfPaymentRef(refunds[0]!.reference);
    const price = BigInt(engine.config.payments.defaultPrice);
    const deposit = price * BigInt(engine.config.payments.channelDepositMultiple);
    await expect(channels.balanceOf(channelId)).resolves.toMatchObject({
      balance: deposit - price * BigInt(refunds.length),
      totalClaimed: 0n,
    });
    await expect(engine.payments.balanceOf(payer)).resolves.toBe(
      payerBefore - deposit + price * BigInt(refunds.length),
    );
    await expect(engine.payments.balanceOf(engine.payments.nodeAddress)).resolves.toBe(nodeBefore);
  });
});

describe('channel-mode decisions rolled back for a reason other than verification', () => {
  let engine: Engine;
  beforeAll(async () => {
    // Orders above 5,000 need approval (the large order is 900 × 9.80 = 8,820), so a decision waits for the ERP.
    engine = await startEngine({
      settlementMode: 'channel',
      env: {
        PAYER_PRIVATE_KEY: anvilAccounts()[36]!.privateKey,
        DECISION_APPROVAL_THRESHOLD: '5000',
        DECISION_APPROVAL_TIMEOUT_MS: '120000',
      },
    });
    await ensureChannelContracts(engine.config);
  });
  afterAll(() => engine?.close());

  it('refunds each charge at once when the approver rejects, without flagging the node', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    await engine.waitFor(`${id} awaiting approval`, async () =>
      (
        await engine.client.workflow
          .getHandle(id)
          .query(statusQuery)
          .catch(() => undefined)
      )?.status === 'AWAITING_APPROVAL'
        ? true
        : undefined,
    );
    await engine.client.workflow
      .getHandle(id)
      .executeUpdate(rejectUpdate, { args: [{ approver: 'cfo@example.com', reason: 'supplier on watch list' }] });
    const event = await finalEvent(engine, id);
    expect(event).toMatchObject({ type: 'decision.rolled_back', data: { failedCheck: 'approval' } });
    const audit = await engine.client.workflow.getHandle(id).query(auditQuery);
    expect(audit.compensations.map((c) => `${c.action}:${c.outcome}`)).toEqual([
      'releaseBudget:done',
      ...audit.inferences.map(() => 'refundPayment:done'),
    ]);
    const channels = createChannelContract(engine.config);
    for (const refund of audit.compensations.filter((c) => c.action === 'refundPayment')) {
      const { channelId, cumulative } = chargeOfPaymentRef(refund.reference);
      await expect(channels.chargeStateOf(channelId, cumulative)).resolves.toBe('refunded');
      expect(refund.transaction).toBe(await channels.chargeTransactionOf(channelId, cumulative));
    }
  });
});
