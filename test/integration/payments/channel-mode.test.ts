// Channel mode end to end on the real chain: the engine's paying client deposits once into a channel and then pays
// each inference with a cumulative voucher; a retried payment is the same voucher and is answered once; the node
// refuses a voucher that would charge more than the payer signed; the official @x402/fetch batch-settlement client
// pays the node too.
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { privateKeyToAccount } from 'viem/accounts';
import { CHANNELS_ADDRESS, createChannelContract, ensureChannelContracts } from '../../../src/chain';
import { InferResponseSchema } from '../../../src/contracts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('channel settlement mode (x402 batch-settlement)', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'channel' });
    await ensureChannelContracts(stack.config);
  });
  afterAll(() => stack?.close());
  const price = () => BigInt(stack.config.payments.defaultPrice);
  const deposit = () => price() * BigInt(stack.config.payments.channelDepositMultiple);
  const channelOf = (paymentRef: string) => paymentRef.split('/')[3] as `0x${string}`;
  const infer = (client: ReturnType<typeof createPayingClientFromConfig>, key: string) =>
    client.payAndInfer({
      nodeUrl: stack.node.url,
      modelId: stack.models.describe('supplier-risk').id,
      rows: validRows(stack.models, 'supplier-risk'),
      idempotencyKey: key,
    });

  it('deposits once, then pays each inference with a voucher; nothing reaches the node before a claim', async () => {
    const payerKey = stack.payerKeys[24]!;
    const payer = privateKeyToAccount(payerKey).address;
    const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey });
    const payerBefore = await stack.balanceOf(payer);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const first = await infer(client, 'channel-mode/1');
    expect(first.receipt.settlementMode).toBe('channel');
    expect(first.settlement.status).toBe('settled'); // the deposit, landed before the answer
    expect(first.amount).toBe(price().toString());
    const rest = await Promise.all([2, 3, 4].map((n) => infer(client, `channel-mode/${n}`)));
    expect(rest.map((r) => r.settlement.status)).toEqual(['not_required', 'not_required', 'not_required']);
    const cumulative = [first, ...rest].map((r) => BigInt(r.paymentRef.split('/')[4]!)).sort((a, b) => Number(a - b));
    expect(cumulative).toEqual([1n, 2n, 3n, 4n].map((n) => n * price()));
    await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore - deposit());
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore);
    const channel = await createChannelContract(stack.config).balanceOf(channelOf(first.paymentRef));
    expect(channel).toMatchObject({ balance: deposit(), totalClaimed: 0n });
  });

  it('a retried payment is the same voucher: the node answers it from its cache, charged once', async () => {
    const client = createPayingClientFromConfig(stack.config, { privateKey: stack.payerKeys[25]! });
    const once = await infer(client, 'channel-retry/1');
    const again = await infer(client, 'channel-retry/1');
    expect(again.receipt).toEqual(once.receipt);
    // A new client over the same state directory (a restarted worker) still re-presents the same voucher.
    const restarted = createPayingClientFromConfig(stack.config, { privateKey: stack.payerKeys[25]! });
    await expect(infer(restarted, 'channel-retry/1')).resolves.toMatchObject({ paymentRef: once.paymentRef });
    const next = await infer(restarted, 'channel-retry/2');
    expect(BigInt(next.paymentRef.split('/')[4]!)).toBe(2n * price());
  });

  it('the official @x402/fetch client with @x402/evm batch-settlement pays the node', async () => {
    const account = privateKeyToAccount(stack.payerKeys[26]!);
    const client = new x402Client();
    client.register('eip155:31337', new BatchSettlementEvmScheme(account));
    client.setSpendControls({
      allowedAssets: [
        { network: 'eip155:31337', asset: stack.deployment.token.address, maxAmountPerPayment: '1000000' },
      ],
    });
    const paidFetch = wrapFetchWithPayment(fetch, client);
    const url = `${stack.node.url}/v1/models/${stack.models.describe('supplier-risk').id}/infer`;
    for (let n = 1; n <= 3; n++) {
      const response = await paidFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: validRows(stack.models, 'supplier-risk') }),
      });
      const text = await response.text();
      expect({ status: response.status, text }).toMatchObject({ status: 200 });
      const body = InferResponseSchema.parse(JSON.parse(text));
      expect(BigInt(body.paymentRef.split('/')[4]!)).toBe(BigInt(n) * price());
      expect(body.paymentRef.split('/')[2]?.toLowerCase()).toBe(account.address.toLowerCase());
    }
    expect(CHANNELS_ADDRESS).toMatch(/^0x4020/);
  });
});
