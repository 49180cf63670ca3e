// A paid inference succeeds in each settlement mode and moves token balances exactly once.
import { privateKeyToAccount } from 'viem/accounts';
import { ReceiptRecordSchema } from '../../../src/contracts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { verifyReceiptSignature } from '../../../src/verification';
import type { SettlementMode } from '../../../src/contracts/receipt';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe.each<SettlementMode>(['individual', 'deferred', 'batch'])('settlement mode %s', (mode) => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({
      settlementMode: mode,
      env: { PAYMENT_BATCH_SIZE: '4', PAYMENT_BATCH_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(() => stack?.close());

  it('serves a paid inference with a signed receipt and charges the payer exactly once', async () => {
    const payerKey = stack.payerKeys[0]!;
    const payer = privateKeyToAccount(payerKey).address;
    const model = stack.models.describe('supplier-risk');
    const [payerBefore, nodeBefore] = await Promise.all([stack.balanceOf(payer), stack.balanceOf(stack.nodeAddress)]);
    const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey });

    const result = await client.payAndInfer({
      nodeUrl: stack.node.url,
      modelId: model.id,
      rows: validRows(stack.models, 'supplier-risk', 2),
      idempotencyKey: `modes-${mode}`,
      issuedAt: Date.now(),
    });

    expect(result.outputs).toHaveLength(2);
    expect(result.receipt.modelId).toBe(model.id);
    expect(result.receipt.settlementMode).toBe(mode);
    expect(result.receipt.signer).toBe(stack.node.signerAddress);
    await expect(verifyReceiptSignature(result.receipt)).resolves.toBe(true);
    expect(result.settlement.status).toBe(mode === 'individual' ? 'settled' : 'pending');

    await stack.node.drain();
    const price = BigInt(stack.config.payments.defaultPrice);
    await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore - price);
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + price);

    const record = ReceiptRecordSchema.parse(
      await (await fetch(`${stack.node.url}/v1/receipts/${result.receipt.receiptId}`)).json(),
    );
    expect(record.settlement.status).toBe('settled');
    expect(record.commitment).toMatchObject({ kind: mode === 'batch' ? 'batch' : 'receipt', status: 'committed' });

    // What operators scrape: the node and the facilitator count the request, the settlement and the commitment.
    const nodeMetrics = await (await fetch(`${stack.node.url}/metrics`)).text();
    expect(nodeMetrics).toMatch(/^node_requests_total\{route="infer",status="200",reason=""\} 1$/m);
    expect(nodeMetrics).toMatch(/^node_settlements_total\{success="true",reason=""\} 1$/m);
    expect(nodeMetrics).toMatch(
      new RegExp(
        `^node_commitments_total\\{kind="${mode === 'batch' ? 'batch' : 'receipt'}",status="committed"\\} \\d+$`,
        'm',
      ),
    );
    expect(nodeMetrics).toMatch(/^node_infer_ms_count\{mode="[a-z]+",replayed="false"\} 1$/m);
    const facilitatorMetrics = await (await fetch(`${stack.facilitator.url}/metrics`)).text();
    expect(facilitatorMetrics).toMatch(/^facilitator_settle_total\{success="true",reason=""\} 1$/m);
  });
});
