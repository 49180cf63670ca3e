// The paying client remembers a node's x402 offer per (node, model): later payments go with the first request, without
// a 402 round trip, and an offer that changed (here, a new price) is learned from the node's 402 and paid once more.
import { privateKeyToAccount } from 'viem/accounts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('the paying client caches the node offer', () => {
  let stack: PaymentsStack;
  let modelId: string;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
    modelId = stack.models.describe('supplier-risk').id;
  });
  afterAll(() => stack?.close());

  /** A stable node URL for the client (the node's port changes when it restarts), counting requests by payment. */
  function routedFetch() {
    const seen: Array<'unpaid' | 'paid'> = [];
    const routed = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input).replace('http://node.test', stack.node.url);
      seen.push(new Headers(init?.headers).has('PAYMENT-SIGNATURE') ? 'paid' : 'unpaid');
      return fetch(url, init);
    }) as typeof fetch;
    return { routed, seen };
  }

  it('pays with the first request once the offer is known, and pays a changed offer after its 402', async () => {
    const key = stack.payerKeys[6]!;
    const payer = privateKeyToAccount(key).address;
    const { routed, seen } = routedFetch();
    const client = createPayingClientFromConfig(stack.config, { privateKey: key, fetch: routed });
    const rows = validRows(stack.models, 'supplier-risk');
    const pay = (step: string) =>
      client.payAndInfer({ nodeUrl: 'http://node.test', modelId, rows, idempotencyKey: `wf-offer/${step}` });
    const price = BigInt(stack.config.payments.defaultPrice);
    const before = await stack.balanceOf(payer);

    await pay('1');
    expect(seen).toEqual(['unpaid', 'paid']);
    await pay('2');
    expect(seen.slice(2)).toEqual(['paid']);

    await stack.node.drain();
    await stack.restartNode({ prices: { [modelId]: (price * 2n).toString() } });
    const third = await pay('3');
    // The cached offer's price is refused with a 402 naming the new one, which is paid with the same nonce.
    expect(seen.slice(3)).toEqual(['paid', 'paid']);
    expect(third.settlement.status).toBe('pending');
    await pay('4');
    expect(seen.slice(5)).toEqual(['paid']);
    await stack.node.drain();
    await expect(stack.balanceOf(payer)).resolves.toBe(before - 2n * price - 2n * (price * 2n));
  });

  it('does not pay twice for a refusal that is not about the offer', async () => {
    const key = stack.payerKeys[7]!;
    const { routed, seen } = routedFetch();
    const client = createPayingClientFromConfig(stack.config, { privateKey: key, fetch: routed });
    const issuedAt = Date.now();
    const pay = (count: number) =>
      client.payAndInfer({
        nodeUrl: 'http://node.test',
        modelId,
        rows: validRows(stack.models, 'supplier-risk', count),
        idempotencyKey: 'wf-offer-replay/1',
        issuedAt,
      });
    await pay(1);
    // The same authorization for other rows: the node refuses it (payment_replayed) under the offer it cached.
    await expect(pay(2)).rejects.toMatchObject({ code: 'payment_replayed' });
    expect(seen).toEqual(['unpaid', 'paid', 'paid']);
  });
});
