// Escrow mode on the real chain: the official auth-capture client pays into escrow; the verifier's verdict, relayed
// by the facilitator, captures to the node or refunds the payer; nobody else can capture; releases move money once.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ESCROW_ADDRESS } from '../../../src/chain';
import { EscrowSettlementSchema, SettlementJobSchema } from '../../../src/contracts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { validRows } from './support/payments-stack';
import {
  holdIdOf,
  payWithOfficialClient,
  postRelease,
  signRelease,
  startEscrowStack,
  waitForHold,
  type EscrowStack,
} from './support/escrow-stack';

describe('escrow settlement mode', () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    stack = await startEscrowStack();
  });
  afterAll(() => stack?.close());
  const price = () => BigInt(stack.config.payments.defaultPrice);

  it('the official @x402/fetch client pays into escrow; the node answers before any money reaches it', async () => {
    const payerBefore = await stack.balanceOf(privateKeyToAccount(stack.payerKeys[10]!).address);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const { body, payer } = await payWithOfficialClient(stack, stack.payerKeys[10]!);
    expect(body.receipt.settlementMode).toBe('escrow');
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const hold = await stack.escrow.holdOf(holdId);
    expect(hold).toMatchObject({ payer, receiver: stack.nodeAddress, amount: price(), state: 'held' });
    await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore - price());
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore);
  });

  it("captures to the node on the verifier's passing verdict, once, however often the capture is retried", async () => {
    const { body } = await payWithOfficialClient(stack, stack.payerKeys[11]!);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const escrowBefore = await stack.balanceOf(ESCROW_ADDRESS);
    const signature = await signRelease(stack, stack.config.keys.verifier, holdId, body, 'capture');
    const digest = (await import('../../../src/verification')).receiptDigest(body.receipt);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => postRelease(stack, holdId, 'capture', { receiptDigest: digest, signature })),
    );

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const transactions = new Set(results.map((r) => r.body.transaction));
    expect(transactions.size).toBe(1);
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + price());
    await expect(stack.balanceOf(ESCROW_ADDRESS)).resolves.toBe(escrowBefore - price());
    // Later, the same release again: a no-op answered with the original transaction.
    const again = await postRelease(stack, holdId, 'capture', { receiptDigest: digest, signature });
    expect(again.body).toMatchObject({ status: 'done', alreadyDone: true, transaction: [...transactions][0] });
    // And a refund after the capture is refused: money moves once.
    const refund = await postRelease(stack, holdId, 'refund', {
      receiptDigest: digest,
      signature: await signRelease(stack, stack.config.keys.verifier, holdId, body, 'refund'),
    });
    expect(refund).toMatchObject({ status: 409, body: { errorReason: 'escrow_already_captured' } });
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + price());

    const view = await (await fetch(`${stack.facilitator.url}/settlements/${holdId}`)).json();
    SettlementJobSchema.partial().parse(view);
    const escrow = EscrowSettlementSchema.parse((view as { escrow: unknown }).escrow);
    expect(escrow).toMatchObject({
      state: 'captured',
      authorize: { status: 'done' },
      capture: { status: 'done', transaction: [...transactions][0] },
    });
    expect(escrow.authorize?.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("refunds the payer on the verifier's failing verdict, once, under 10 concurrent retries", async () => {
    const payerKey = stack.payerKeys[12]!;
    const payer = privateKeyToAccount(payerKey).address;
    const before = await stack.balanceOf(payer);
    const { body } = await payWithOfficialClient(stack, payerKey);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    await expect(stack.balanceOf(payer)).resolves.toBe(before - price());
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const signature = await signRelease(stack, stack.config.keys.verifier, holdId, body, 'refund');
    const digest = (await import('../../../src/verification')).receiptDigest(body.receipt);

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        postRelease(stack, holdId, 'refund', { receiptDigest: digest, signature, reason: 'attestation_pcr_mismatch' }),
      ),
    );

    expect(new Set(results.map((r) => r.body.transaction)).size).toBe(1);
    expect(results.every((r) => r.status === 200)).toBe(true);
    await expect(stack.balanceOf(payer)).resolves.toBe(before);
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore);
    const events = await stack.escrow.eventsOf(holdId);
    expect(events.filter((e) => e.step === 'refund')).toEqual([
      expect.objectContaining({
        reason: 'attestation_pcr_mismatch',
        by: privateKeyToAccount(stack.config.keys.verifier).address,
      }),
    ]);
  });

  it("refuses a capture the node signs for itself, or the payer, or anyone but the payment's verifier", async () => {
    const { body } = await payWithOfficialClient(stack, stack.payerKeys[13]!);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const digest = (await import('../../../src/verification')).receiptDigest(body.receipt);
    for (const key of [stack.config.keys.node, stack.payerKeys[13]!, stack.config.keys.facilitator]) {
      const forged = await postRelease(stack, holdId, 'capture', {
        receiptDigest: digest,
        signature: await signRelease(stack, key, holdId, body, 'capture'),
      });
      expect(forged).toMatchObject({
        status: 422,
        body: { status: 'failed', errorReason: 'escrow_release_not_authorized' },
      });
    }
    // Nor can anyone refund early without the verdict: before the deadline, refund-expired is refused.
    const early = await postRelease(stack, holdId, 'refund-expired');
    expect(early).toMatchObject({ status: 422, body: { errorReason: 'escrow_deadline' } });
    expect((await stack.escrow.holdOf(holdId)).state).toBe('held');
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore);
  });
});

describe('escrow settlement mode, refusals before serving', () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    stack = await startEscrowStack();
  });
  afterAll(() => stack?.close());

  it("refuses, before serving, a payer whose tokens cannot cover the payment (the escrow's authorize is simulated)", async () => {
    const broke = generatePrivateKey();
    await expect(payWithOfficialClient(stack, broke)).rejects.toThrow(
      /402.*invalid_auth_capture_evm_transaction_simulation_failed/,
    );
    await expect(stack.balanceOf(ESCROW_ADDRESS)).resolves.toBeGreaterThanOrEqual(0n);
  });
});

describe("the engine's paying client against an escrow node", () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    stack = await startEscrowStack();
  });
  afterAll(() => stack?.close());

  it('re-presents the byte-identical auth-capture payment for the same idempotency key: one hold, one charge', async () => {
    const payerKey = stack.payerKeys[22]!;
    const payer = privateKeyToAccount(payerKey).address;
    const before = await stack.balanceOf(payer);
    const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey });
    const params = {
      nodeUrl: stack.node.url,
      modelId: stack.models.describe('demand-forecast').id,
      rows: validRows(stack.models, 'demand-forecast'),
      idempotencyKey: `escrow-${Date.now()}/1/forecast`,
      issuedAt: new Date(),
    };
    const first = await client.payAndInfer(params);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a later 402 offers later deadlines: the client must not follow them
    const second = await client.payAndInfer(params);

    expect(second.paymentRef).toBe(first.paymentRef);
    expect(second.receipt.receiptId).toBe(first.receipt.receiptId);
    await waitForHold(stack, holdIdOf({ ...first, receipt: first.receipt } as never));
    await expect(stack.balanceOf(payer)).resolves.toBe(before - BigInt(stack.config.payments.defaultPrice));
  });
});
