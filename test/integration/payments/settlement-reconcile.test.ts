// A settlement whose outcome the facilitator lost (its transaction landed after it stopped waiting, or someone else
// submitted the authorization first) is reconciled from the chain: the authorization's transfer is found and the
// payment reported settled with that transaction, never as failed while the payer was charged.
import type { Hex } from 'viem';
import { createChainClients, CONTRACT_ARTIFACTS } from '../../../src/chain';
import { signedPaymentFor, startPaymentsStack, type PaymentsStack } from './support/payments-stack';

describe('settlement reconciled from the chain', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
  });
  afterAll(() => stack?.close());

  it('reports an authorization already used on chain as settled by that transaction', async () => {
    const key = stack.payerKeys[7]!;
    const { account, requirements, payload, paymentPayload } = await signedPaymentFor(
      stack,
      key,
      'reconcile/1',
      Date.now(),
    );
    const { authorization, signature } = payload as {
      authorization: { from: Hex; to: Hex; value: string; validAfter: string; validBefore: string; nonce: Hex };
      signature: Hex;
    };

    // The transfer happens without the facilitator knowing: the payer submits its own authorization.
    const before = await stack.balanceOf(account.address);
    const { abi } = CONTRACT_ARTIFACTS.ProofpathToken;
    const payer = createChainClients(stack.config, key);
    const hash = await payer.walletClient.writeContract({
      address: requirements.asset as Hex,
      abi,
      functionName: 'transferWithAuthorization',
      args: [
        authorization.from,
        authorization.to,
        BigInt(authorization.value),
        BigInt(authorization.validAfter),
        BigInt(authorization.validBefore),
        authorization.nonce,
        signature,
      ],
    });
    await payer.publicClient.waitForTransactionReceipt({ hash });

    const settle = async (): Promise<unknown> =>
      (
        await fetch(`${stack.facilitator.url}/settle`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements: requirements }),
        })
      ).json();
    await expect(settle()).resolves.toMatchObject({ success: true, transaction: hash });
    await expect(settle()).resolves.toMatchObject({ success: true, transaction: hash }); // and stays so, without a transaction
    await expect(stack.balanceOf(account.address)).resolves.toBe(before - BigInt(requirements.amount));
  });
});
