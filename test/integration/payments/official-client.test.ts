// The official @x402/fetch client, configured as its documentation shows, can pay the node.
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { privateKeyToAccount } from 'viem/accounts';
import { InferResponseSchema } from '../../../src/contracts';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('the official @x402/fetch client', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'individual' });
  });
  afterAll(() => stack?.close());

  it('pays for an inference with a random nonce and receives outputs, a receipt and PAYMENT-RESPONSE', async () => {
    const account = privateKeyToAccount(stack.payerKeys[7]!);
    const client = new x402Client();
    registerExactEvmScheme(client, { signer: account });
    // Our token is not in x402's default list: opt it in (NOTES, "x402 v2 packages").
    client.setSpendControls({
      allowedAssets: [
        { network: 'eip155:31337', asset: stack.deployment.token.address, maxAmountPerPayment: '1000000' },
      ],
    });
    const paidFetch = wrapFetchWithPayment(fetch, client);
    const before = await stack.balanceOf(account.address);

    const response = await paidFetch(
      `${stack.node.url}/v1/models/${stack.models.describe('demand-forecast').id}/infer`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: validRows(stack.models, 'demand-forecast') }),
      },
    );

    expect(response.status).toBe(200);
    const body = InferResponseSchema.parse(await response.json());
    expect(body.settlement.status).toBe('settled');
    const settle = decodePaymentResponseHeader(response.headers.get('PAYMENT-RESPONSE') as string);
    expect(settle).toMatchObject({ success: true, transaction: body.settlement.transaction });
    await expect(stack.balanceOf(account.address)).resolves.toBe(before - BigInt(stack.config.payments.defaultPrice));
  });
});
