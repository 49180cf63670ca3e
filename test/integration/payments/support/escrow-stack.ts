// An escrow-mode payments stack (escrow placed at the auth-capture addresses) and the moves a test makes on it:
// pay with the official auth-capture client, wait for the hold, sign a verifier's (or anyone's) release, read holds.
import { AuthCaptureEvmScheme } from '@x402/evm/auth-capture/client';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  createEscrowContract,
  ensureEscrowContracts,
  releaseTypedData,
  type EscrowAction,
  type EscrowContract,
} from '../../../../src/chain';
import { InferResponseSchema, type InferResponse } from '../../../../src/contracts';
import { authorizationKeyOf } from '../../../../src/payments';
import { receiptDigest } from '../../../../src/verification';
import { startPaymentsStack, validRows, type PaymentsStack } from './payments-stack';

export type EscrowStack = PaymentsStack & { escrow: EscrowContract };

export async function startEscrowStack(env: NodeJS.ProcessEnv = {}): Promise<EscrowStack> {
  const stack = await startPaymentsStack({ settlementMode: 'escrow', env });
  await ensureEscrowContracts(stack.config);
  return Object.assign(stack, { escrow: createEscrowContract(stack.config) });
}

/** Pays one inference with the official @x402/fetch client and @x402/evm's AuthCaptureEvmScheme. */
export async function payWithOfficialClient(
  stack: EscrowStack,
  payerKey: Hex,
  model = 'demand-forecast',
): Promise<{ response: Response; body: InferResponse; payer: `0x${string}` }> {
  const account = privateKeyToAccount(payerKey);
  const client = new x402Client();
  client.register('eip155:31337', new AuthCaptureEvmScheme(account));
  client.setSpendControls({
    allowedAssets: [{ network: 'eip155:31337', asset: stack.deployment.token.address, maxAmountPerPayment: '1000000' }],
  });
  const response = await wrapFetchWithPayment(fetch, client)(
    `${stack.node.url}/v1/models/${stack.models.describe(model).id}/infer`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: validRows(stack.models, model) }),
    },
  );
  const text = await response.text();
  if (response.status !== 200) throw new Error(`node answered ${response.status}: ${text}`);
  return { response, body: InferResponseSchema.parse(JSON.parse(text)), payer: account.address };
}

/** The hold id of a paid answer: keccak256(token ‖ payer ‖ nonce), from its paymentRef `<network>/<asset>/<payer>/<nonce>`. */
export function holdIdOf(body: InferResponse): Hex {
  const [, asset, payer, nonce] = body.paymentRef.split('/');
  return authorizationKeyOf(asset as string, payer as string, nonce as string);
}

export async function waitForHold(
  stack: EscrowStack,
  holdId: Hex,
  state: 'held' | 'captured' | 'refunded' = 'held',
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await stack.escrow.holdOf(holdId)).state === state) return;
    if (Date.now() > deadline) throw new Error(`hold ${holdId} did not reach ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function signRelease(
  stack: EscrowStack,
  signerKey: Hex,
  holdId: Hex,
  body: InferResponse,
  action: EscrowAction,
): Promise<Hex> {
  return privateKeyToAccount(signerKey).signTypedData(
    releaseTypedData(stack.config.chain.chainId, holdId, receiptDigest(body.receipt) as Hex, action),
  );
}

export async function postRelease(
  stack: EscrowStack,
  holdId: Hex,
  action: EscrowAction | 'refund-expired',
  body?: { receiptDigest: Hex; signature: Hex; reason?: string },
) {
  const response = await fetch(`${stack.facilitator.url}/escrow/${holdId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return {
    status: response.status,
    body: (await response.json()) as { status: string; transaction?: Hex; alreadyDone: boolean; errorReason?: string },
  };
}

/** Mines one block: a quiet anvil's clock moves only with blocks, and the escrow's deadlines are in block time. */
export async function mineBlock(stack: EscrowStack): Promise<void> {
  await fetch(stack.config.chain.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }),
  });
}
