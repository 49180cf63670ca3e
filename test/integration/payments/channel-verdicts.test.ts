// Channel mode's money on the verifier's word, through the facilitator: verified charges wait and are claimed in one
// batch transaction that also pays the node; a rolled-back charge is refunded to the payer at once, once however
// often the refund is retried; a verdict not signed by the verifier moves nothing; a restarted facilitator still
// claims what was queued before.
import { privateKeyToAccount } from 'viem/accounts';
import { createChannelContract, ensureChannelContracts, type ChannelContract } from '../../../src/chain';
import { createPaymentChannel, chargeOfPaymentRef } from '../../../src/decisions/payment-channel';
import {
  createPayingClientFromConfig,
  startFacilitator,
  type FacilitatorHandle,
  type PayAndInferResult,
} from '../../../src/payments';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

const BATCH = 3;

describe('channel charges: batch claims and refunds on the verifier’s verdict', () => {
  let stack: PaymentsStack;
  let channels: ChannelContract;
  beforeAll(async () => {
    stack = await startPaymentsStack({
      settlementMode: 'channel',
      env: { PAYMENT_CHANNEL_CLAIM_BATCH_SIZE: String(BATCH), PAYMENT_CHANNEL_CLAIM_INTERVAL_SECONDS: '3600' },
    });
    await ensureChannelContracts(stack.config);
    channels = createChannelContract(stack.config);
  });
  afterAll(() => stack?.close());
  const price = () => BigInt(stack.config.payments.defaultPrice);
  const verdicts = (facilitatorUrl = stack.facilitator.url) =>
    createPaymentChannel({ ...stack.config, payments: { ...stack.config.payments, facilitatorUrl } });
  async function pay(payerKey: `0x${string}`, prefix: string, count: number): Promise<PayAndInferResult[]> {
    const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey });
    const results: PayAndInferResult[] = [];
    for (let n = 1; n <= count; n++)
      results.push(
        await client.payAndInfer({
          nodeUrl: stack.node.url,
          modelId: stack.models.describe('supplier-risk').id,
          rows: validRows(stack.models, 'supplier-risk'),
          idempotencyKey: `${prefix}/${n}`,
        }),
      );
    return results;
  }
  const input = (r: PayAndInferResult) => ({ paymentRef: r.paymentRef, amount: r.amount! });
  async function until(probe: () => Promise<boolean>, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('claims verified charges in one transaction once the batch is full, pays the node, refunds the rolled back', async () => {
    const payer = privateKeyToAccount(stack.payerKeys[27]!).address;
    const paid = await pay(stack.payerKeys[27]!, 'verdicts-a', 5);
    const { channelId } = chargeOfPaymentRef(paid[0]!.paymentRef);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const payerBefore = await stack.balanceOf(payer);

    // Rolled back: refunded at once; ten concurrent retries move it once.
    const refunds = await Promise.all(Array.from({ length: 10 }, () => verdicts().refund(input(paid[2]!))));
    expect(new Set(refunds.map((r) => r.transaction)).size).toBe(1);
    await expect(verdicts().refund(input(paid[2]!))).resolves.toMatchObject({
      state: 'refunded',
      alreadyDone: true,
      transaction: refunds[0]!.transaction,
    });
    await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore + price());
    await expect(verdicts().claim(input(paid[2]!))).rejects.toMatchObject({
      code: 'channel_charge_already_refunded',
    });

    // Verified: queued until the batch is full, then one claim transaction pays the node.
    const first = await verdicts().claim(input(paid[0]!));
    expect(first).toMatchObject({ state: 'queued', alreadyDone: false });
    await expect(verdicts().claim(input(paid[0]!))).resolves.toMatchObject({ state: 'queued', alreadyDone: true });
    await verdicts().claim(input(paid[1]!));
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore);
    await verdicts().claim(input(paid[3]!));
    await until(async () => (await channels.chargeStateOf(channelId, 4n * price())) === 'claimed');
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + 3n * price());
    const views = await Promise.all([0, 1, 3].map((i) => verdicts().claim(input(paid[i]!))));
    expect(views.every((v) => v.state === 'claimed' && v.alreadyDone)).toBe(true);
    expect(new Set(views.map((v) => v.transaction)).size).toBe(1); // one batch transaction
    await expect(channels.balanceOf(channelId)).resolves.toMatchObject({
      balance: 100n * price() - price(),
      totalClaimed: 3n * price(),
    });
    // The fifth charge has no verdict yet: still open, nothing moved for it.
    await expect(channels.chargeStateOf(channelId, 5n * price())).resolves.toBe('open');
  });

  it('a verdict signed by anyone but the verifier moves nothing', async () => {
    const [paid] = await pay(stack.payerKeys[28]!, 'verdicts-b', 1);
    const forged = createPaymentChannel({
      ...stack.config,
      keys: { ...stack.config.keys, verifier: stack.config.keys.node },
      payments: { ...stack.config.payments, facilitatorUrl: stack.facilitator.url },
    });
    await expect(forged.refund(input(paid!))).rejects.toMatchObject({ code: 'channel_verdict_not_authorized' });
    await expect(forged.claim(input(paid!))).rejects.toMatchObject({ code: 'channel_verdict_not_authorized' });
  });

  it('a restarted facilitator claims the charges its predecessor queued (journalled)', async () => {
    const paid = await pay(stack.payerKeys[29]!, 'verdicts-c', 2);
    const { channelId } = chargeOfPaymentRef(paid[0]!.paymentRef);
    await verdicts().claim(input(paid[0]!));
    await stack.facilitator.close();
    const restarted: FacilitatorHandle = await startFacilitator({
      config: stack.configWith({ PAYMENT_CHANNEL_CLAIM_BATCH_SIZE: '2' }),
      logger: testLogger('facilitator-restarted', stack.config),
      port: 0,
    });
    stack.facilitator = restarted; // closed with the stack
    {
      await expect(verdicts(restarted.url).claim(input(paid[0]!))).resolves.toMatchObject({
        state: 'queued',
        alreadyDone: true,
      });
      await verdicts(restarted.url).claim(input(paid[1]!));
      await until(async () => (await channels.chargeStateOf(channelId, 2n * price())) === 'claimed');
      await expect(channels.chargeStateOf(channelId, price())).resolves.toBe('claimed');
    }
  });
});
