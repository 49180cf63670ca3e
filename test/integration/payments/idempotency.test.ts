// The same idempotency key is charged once and answered with the same receipt; 20 payers at once all settle.
import { privateKeyToAccount } from 'viem/accounts';
import { ReceiptRecordSchema } from '../../../src/contracts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { signedPaymentFor, startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('idempotent payments (deferred mode)', () => {
  let stack: PaymentsStack;
  let modelId: string;
  const price = () => BigInt(stack.config.payments.defaultPrice);
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
    modelId = stack.models.describe('supplier-risk').id;
  });
  afterAll(() => stack?.close());

  it('charges a key presented three times in sequence once, and returns the same receipt each time', async () => {
    const key = stack.payerKeys[1]!;
    const payer = privateKeyToAccount(key).address;
    const before = await stack.balanceOf(payer);
    const issuedAt = Date.now();
    const rows = validRows(stack.models, 'supplier-risk');
    const results = [];
    for (let i = 0; i < 3; i++) {
      // A fresh client each time: what a retried activity in a new worker process would build.
      const client = createPayingClientFromConfig(stack.config, { privateKey: key });
      results.push(
        await client.payAndInfer({ nodeUrl: stack.node.url, modelId, rows, idempotencyKey: 'wf-seq/step-1', issuedAt }),
      );
      await stack.node.drain(); // the 2nd and 3rd presentations meet an already settled authorization
    }
    expect(new Set(results.map((r) => r.receipt.receiptId)).size).toBe(1);
    expect(results[1]!.receipt).toEqual(results[0]!.receipt);
    expect(results[2]!.outputs).toEqual(results[0]!.outputs);
    expect(results[2]!.settlement.status).toBe('settled');
    await expect(stack.balanceOf(payer)).resolves.toBe(before - price());
  });

  it('charges a key presented three times concurrently once, with one receipt', async () => {
    const key = stack.payerKeys[2]!;
    const payer = privateKeyToAccount(key).address;
    const before = await stack.balanceOf(payer);
    const issuedAt = Date.now();
    const rows = validRows(stack.models, 'supplier-risk');
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
          nodeUrl: stack.node.url,
          modelId,
          rows,
          idempotencyKey: 'wf-par/step-1',
          issuedAt,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.receipt.receiptId)).size).toBe(1);
    expect(new Set(results.map((r) => r.receipt.signature)).size).toBe(1);
    await stack.node.drain();
    await expect(stack.balanceOf(payer)).resolves.toBe(before - price());
  });

  it('settles 20 concurrent paid requests from 20 different payers', () => settlesTwentyConcurrentPayers(stack));

  it('answers a re-presented payment from its journal after the node restarts', async () => {
    const key = stack.payerKeys[3]!;
    const payer = privateKeyToAccount(key).address;
    const before = await stack.balanceOf(payer);
    const issuedAt = Date.now();
    const rows = validRows(stack.models, 'supplier-risk');
    const params = { modelId, rows, idempotencyKey: 'wf-restart/step-1', issuedAt };
    const first = await createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
      nodeUrl: stack.node.url,
      ...params,
    });
    await stack.node.drain();
    const node = await stack.restartNode();
    const again = await createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
      nodeUrl: node.url,
      ...params,
    });
    expect(again.receipt).toEqual(first.receipt);
    expect(again.settlement.status).toBe('settled');
    await expect(stack.balanceOf(payer)).resolves.toBe(before - price());
  });
});

describe('concurrent settlement (individual mode: every answer waits for its own settlement)', () => {
  let stack: PaymentsStack;
  const price = () => BigInt(stack.config.payments.defaultPrice);
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'individual' });
  });
  afterAll(() => stack?.close());

  // All 20 reach the facilitator at once: its account's nonce manager must keep every settlement transaction apart.
  it('settles 20 concurrent paid requests from 20 different payers', () => settlesTwentyConcurrentPayers(stack));

  it('serves, without a second charge, a payment that settled but was never answered (node lost after settling)', async () => {
    const key = stack.payerKeys[4]!;
    const modelId = stack.models.describe('supplier-risk').id;
    const rows = validRows(stack.models, 'supplier-risk');
    const idempotencyKey = 'wf-lost-answer/step-1';
    const issuedAt = Date.now();
    const { account, requirements, paymentPayload } = await signedPaymentFor(stack, key, idempotencyKey, issuedAt);
    const before = await stack.balanceOf(account.address);
    // What the node did before it was lost: settle this exact authorization through its facilitator.
    const settled = (await (
      await fetch(`${stack.facilitator.url}/settle`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements: requirements }),
      })
    ).json()) as { success: boolean; transaction: string };
    expect(settled.success).toBe(true);
    await expect(stack.balanceOf(account.address)).resolves.toBe(before - price());

    // The workflow's retry re-presents the same authorization: served, with the original settlement, charged once.
    const result = await createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
      nodeUrl: stack.node.url,
      modelId,
      rows,
      idempotencyKey,
      issuedAt,
    });
    expect(result.settlement).toMatchObject({ status: 'settled', transaction: settled.transaction });
    await stack.node.drain();
    await expect(stack.balanceOf(account.address)).resolves.toBe(before - price());

    // A different request under the same, now used, authorization is still refused.
    const other = createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
      nodeUrl: stack.node.url,
      modelId,
      rows: validRows(stack.models, 'supplier-risk', 2),
      idempotencyKey,
      issuedAt,
    });
    await expect(other).rejects.toMatchObject({ code: 'payment_replayed' });
  });
});

/** 20 payers at once, each charged exactly once, all settled, the node credited 20 prices. */
async function settlesTwentyConcurrentPayers(stack: PaymentsStack): Promise<void> {
  const price = () => BigInt(stack.config.payments.defaultPrice);
  const modelId = stack.models.describe('supplier-risk').id;
  const keys = stack.payerKeys.slice(10, 30);
  const payers = keys.map((k) => privateKeyToAccount(k).address);
  const before = await Promise.all(payers.map((p) => stack.balanceOf(p)));
  const nodeBefore = await stack.balanceOf(stack.nodeAddress);
  const rows = validRows(stack.models, 'supplier-risk');
  const results = await Promise.all(
    keys.map((k, i) =>
      createPayingClientFromConfig(stack.config, { privateKey: k }).payAndInfer({
        nodeUrl: stack.node.url,
        modelId,
        rows,
        idempotencyKey: `wf-many-${i}/step-1`,
      }),
    ),
  );
  expect(new Set(results.map((r) => r.receipt.receiptId)).size).toBe(20);
  await stack.node.drain();
  const records = await Promise.all(
    results.map(async (r) =>
      ReceiptRecordSchema.parse(await (await fetch(`${stack.node.url}/v1/receipts/${r.receipt.receiptId}`)).json()),
    ),
  );
  expect(records.map((r) => r.settlement.status)).toEqual(Array(20).fill('settled'));
  const after = await Promise.all(payers.map((p) => stack.balanceOf(p)));
  after.forEach((balance, i) => expect(balance).toBe(before[i]! - price()));
  await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + 20n * price());
}
