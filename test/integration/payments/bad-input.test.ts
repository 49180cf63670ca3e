// Every bad input gets a precise 4xx with a machine-readable reason, and nothing is charged for it.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { craftPayment, encode, fetchRequirements, presentPayment } from './support/craft-payment';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('bad input to the inference node', () => {
  let stack: PaymentsStack;
  let url: string;
  let rows: number[][];
  const payerKey = () => stack.payerKeys[5]!;
  const payer = () => privateKeyToAccount(payerKey()).address;

  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
    url = `${stack.node.url}/v1/models/${stack.models.describe('supplier-risk').id}/infer`;
    rows = validRows(stack.models, 'supplier-risk');
  });
  afterAll(() => stack?.close());

  /** Asserts the answer, then that neither the payer nor the node balance moved once settlement work has drained. */
  async function expectRefusedWithoutCharge(
    present: () => Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
    reason: string,
  ) {
    const before = await Promise.all([stack.balanceOf(payer()), stack.balanceOf(stack.nodeAddress)]);
    const answer = await present();
    expect({ status: answer.status, reason: answer.body.reason }).toEqual({ status, reason });
    expect(typeof answer.body.message).toBe('string');
    await stack.node.drain();
    await expect(Promise.all([stack.balanceOf(payer()), stack.balanceOf(stack.nodeAddress)])).resolves.toEqual(before);
  }

  const pay = async (
    options: Omit<Parameters<typeof craftPayment>[0], 'required' | 'payerKey'>,
    body: unknown = { rows },
  ) =>
    presentPayment(
      url,
      body,
      encode(
        await craftPayment({ required: await fetchRequirements(url, { rows }), payerKey: payerKey(), ...options }),
      ),
    );

  it('refuses an amount below the price (claimed in accepted)', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'amount-1', sign: (r) => ({ ...r, amount: '1' }) }),
      402,
      'payment_amount_mismatch',
    ));

  it('refuses an amount below the price (signed, while accepted claims the price)', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'amount-2', sign: (r) => ({ ...r, amount: '1' }), claim: (r) => r }),
      402,
      'payment_amount_mismatch',
    ));

  it('refuses another asset', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'asset', sign: (r) => ({ ...r, asset: stack.deployment.registry.address }) }),
      402,
      'payment_asset_mismatch',
    ));

  it('refuses another chain', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'chain', sign: (r) => ({ ...r, network: 'eip155:8453' }) }),
      402,
      'payment_network_mismatch',
    ));

  it('refuses an expired authorization', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'expired', issuedAt: Date.now() - 3_600_000 }),
      402,
      'invalid_exact_evm_payload_authorization_valid_before',
    ));

  it('refuses an authorization that is not yet valid', () =>
    expectRefusedWithoutCharge(
      () => pay({ idempotencyKey: 'future', issuedAt: Date.now() + 3_600_000 }),
      402,
      'invalid_exact_evm_payload_authorization_valid_after',
    ));

  it('refuses a bad signature', () =>
    expectRefusedWithoutCharge(
      () =>
        pay({
          idempotencyKey: 'badsig',
          tamper: (p) => ({
            ...p,
            payload: {
              ...p.payload,
              signature: `${(p.payload.signature as string).slice(0, 10)}${'ab'.repeat(32)}${(p.payload.signature as string).slice(74)}`,
            },
          }),
        }),
      402,
      'invalid_exact_evm_signature',
    ));

  it('refuses a payer without enough balance', async () => {
    const poor = generatePrivateKey();
    const answer = await presentPayment(
      url,
      { rows },
      encode(
        await craftPayment({
          required: await fetchRequirements(url, { rows }),
          payerKey: poor,
          idempotencyKey: 'poor',
        }),
      ),
    );
    expect(answer).toMatchObject({ status: 402, body: { reason: 'invalid_exact_evm_insufficient_balance' } });
    expect(answer.paymentRequired?.error).toBe('invalid_exact_evm_insufficient_balance');
  });

  it('refuses a settled authorization presented with a different body', async () => {
    const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey() });
    const issuedAt = Date.now();
    await client.payAndInfer({
      nodeUrl: stack.node.url,
      modelId: stack.models.describe('supplier-risk').id,
      rows,
      idempotencyKey: 'replay',
      issuedAt,
    });
    await stack.node.drain();
    const header = encode(
      await craftPayment({
        required: await fetchRequirements(url, { rows }),
        payerKey: payerKey(),
        idempotencyKey: 'replay',
        issuedAt,
      }),
    );
    const otherRows = validRows(stack.models, 'supplier-risk', 3);
    await expectRefusedWithoutCharge(() => presentPayment(url, { rows: otherRows }, header), 402, 'payment_replayed');
  });

  it('refuses a PAYMENT-SIGNATURE that is not base64 JSON', () =>
    expectRefusedWithoutCharge(
      () => presentPayment(url, { rows }, '%%%not-base64%%%'),
      400,
      'malformed_payment_header',
    ));

  it('refuses an x402 v1 payload', () =>
    expectRefusedWithoutCharge(
      () =>
        presentPayment(
          url,
          { rows },
          Buffer.from(JSON.stringify({ x402Version: 1, scheme: 'exact', network: 'base', payload: {} })).toString(
            'base64',
          ),
        ),
      402,
      'payment_unsupported_version',
    ));

  it('refuses a body that is not JSON, before looking at the payment', () =>
    expectRefusedWithoutCharge(
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"rows": [',
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
      400,
      'malformed_body',
    ));

  it('refuses a body of the wrong shape, even with a valid payment', async () => {
    const header = encode(
      await craftPayment({
        required: await fetchRequirements(url, { rows }),
        payerKey: payerKey(),
        idempotencyKey: 'shape',
      }),
    );
    await expectRefusedWithoutCharge(() => presentPayment(url, { rows: 'many' }, header), 400, 'malformed_body');
  });

  it('refuses an unknown model', () =>
    expectRefusedWithoutCharge(
      () => presentPayment(`${stack.node.url}/v1/models/0xdeadbeef/infer`, { rows }, 'x'),
      404,
      'unknown_model',
    ));

  it('refuses rows that do not fit the model, even with a valid payment', async () => {
    const header = encode(
      await craftPayment({
        required: await fetchRequirements(url, { rows }),
        payerKey: payerKey(),
        idempotencyKey: 'features',
      }),
    );
    await expectRefusedWithoutCharge(() => presentPayment(url, { rows: [[1, 2, 3]] }, header), 422, 'invalid_features');
  });

  it('answers an unpaid request with 402, the offer and the reason', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows }),
    });
    expect(response.status).toBe(402);
    expect(((await response.json()) as { reason: string }).reason).toBe('payment_required');
    const required = await fetchRequirements(url, { rows });
    expect(required.accepts[0]).toMatchObject({
      scheme: 'exact',
      network: 'eip155:31337',
      asset: stack.deployment.token.address,
      amount: stack.config.payments.defaultPrice,
      extra: { settlementMode: 'deferred' },
    });
  });
});
