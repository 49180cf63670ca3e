// The engine pays in an existing EIP-3009 token given by address and EIP-712 domain (as a real USDC deployment would
// be configured), and refuses to start a node whose configured domain is not the token's own.
import path from 'node:path';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { privateKeyToAccount } from 'viem/accounts';
import { inferenceRuntimeFromModels, startInferenceNode } from '../../../src/inference-node';
import { createPayingClientFromConfig } from '../../../src/payments';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('an existing token given by address and EIP-712 domain', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
  });
  afterAll(() => stack?.close());

  const nodeWith = (env: NodeJS.ProcessEnv) => {
    const config = stack.configWith(env);
    return startInferenceNode({
      config,
      logger: testLogger('existing-token-test', config),
      runtime: inferenceRuntimeFromModels(stack.models),
      port: 0,
      facilitator: new HTTPFacilitatorClient({ url: stack.facilitator.url }),
      journalFile: path.join(config.stateDir, 'node', `existing-token-${Date.now()}.jsonl`),
    });
  };
  const token = () => ({
    PAYMENT_TOKEN_ADDRESS: stack.deployment.token.address,
    PAYMENT_TOKEN_EIP712_NAME: stack.deployment.token.name,
  });

  it('serves and charges in the configured token', async () => {
    const env = { ...token(), PAYMENT_TOKEN_EIP712_VERSION: stack.deployment.token.version };
    const node = await nodeWith(env);
    try {
      const key = stack.payerKeys[6]!;
      const before = await stack.balanceOf(privateKeyToAccount(key).address);
      const client = createPayingClientFromConfig(stack.configWith(env), { privateKey: key });
      const paid = await client.payAndInfer({
        nodeUrl: node.url,
        modelId: stack.models.describe('supplier-risk').id,
        rows: validRows(stack.models, 'supplier-risk'),
        idempotencyKey: 'existing-token/1',
        issuedAt: Date.now(),
      });
      expect(paid.receipt.settlementMode).toBe('deferred');
      await node.drain();
      await expect(stack.balanceOf(privateKeyToAccount(key).address)).resolves.toBe(
        before - BigInt(stack.config.payments.defaultPrice),
      );
    } finally {
      await node.close();
    }
  });

  it('refuses to start with an EIP-712 domain the token does not use', async () => {
    await expect(nodeWith({ ...token(), PAYMENT_TOKEN_EIP712_VERSION: '99' })).rejects.toMatchObject({
      name: 'TokenDomainMismatchError',
      code: 'payment_asset_domain_mismatch',
    });
  });
});
