// A fresh, isolated payments stack per suite on the shared anvil: new random keys for the deployer, facilitator and
// node (funded with anvil_setBalance, so no other suite's transactions share their account nonces), freshly deployed
// contracts, a facilitator and an inference node in-process on port 0, and a temporary state directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePaymentRequiredHeader } from '@x402/core/http';
import type { PaymentRequirements } from '@x402/core/types';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { anvilAccounts, type EngineConfig } from '../../../../src/config';
import { deployContracts, fundedDevelopmentKey, tokenBalanceOf, writeDeployment } from '../../../../src/chain';
import type { ChainDeployment } from '../../../../src/contracts';
import {
  startInferenceNode,
  inferenceRuntimeFromModels,
  type InferenceNodeHandle,
  type InferenceNodeOptions,
  type InferenceRuntime,
} from '../../../../src/inference-node';
import { createOnnxModelRuntime, type ModelRuntime } from '../../../../src/models';
import {
  createHttpFacilitatorClient,
  derivePaymentNonce,
  IdempotentExactEvmScheme,
  startFacilitator,
  toUnixSeconds,
  type FacilitatorHandle,
} from '../../../../src/payments';
import type { SettlementMode } from '../../../../src/contracts/receipt';
import { testConfig, testLogger } from '../../../support/test-config';

export type PaymentsStack = {
  config: EngineConfig;
  deployment: ChainDeployment;
  facilitator: FacilitatorHandle;
  node: InferenceNodeHandle;
  models: ModelRuntime;
  nodeAddress: `0x${string}`;
  /** anvil accounts 4..39, each holding freshly minted tokens of this suite's token. */
  payerKeys: `0x${string}`[];
  balanceOf(owner: `0x${string}`): Promise<bigint>;
  /** This stack's configuration loaded again with extra settings (e.g. a verifier's VERIFY_PROOF_TIMEOUT_MS). */
  configWith(env: NodeJS.ProcessEnv): EngineConfig;
  restartNode(overrides?: {
    settlementMode?: SettlementMode;
    prices?: InferenceNodeOptions['prices'];
  }): Promise<InferenceNodeHandle>;
  close(): Promise<void>;
};

export const PAYER_MINT = 1_000_000_000n; // 1,000 tokens of 6 decimals

let sharedModels: Promise<ModelRuntime> | undefined;
/** The real ONNX registry (models/manifest.json), loaded once per test file. */
export function realModels(): Promise<ModelRuntime> {
  sharedModels ??= createOnnxModelRuntime();
  return sharedModels;
}

export async function startPaymentsStack(
  options: {
    settlementMode: SettlementMode;
    env?: NodeJS.ProcessEnv;
    runtime?: InferenceRuntime;
    /** Extra node options (e.g. fault injection) for suites that test more than payments. */
    nodeOptions?: Partial<InferenceNodeOptions>;
  } = { settlementMode: 'deferred' },
): Promise<PaymentsStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-payments-'));
  const base = testConfig();
  const [deployer, facilitatorKey, nodeKey, verifier] = await Promise.all([
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
  ]);
  const env: NodeJS.ProcessEnv = {
    PROOFPATH_STATE_DIR: stateDir,
    DEPLOYER_PRIVATE_KEY: deployer,
    FACILITATOR_PRIVATE_KEY: facilitatorKey,
    NODE_PRIVATE_KEY: nodeKey,
    VERIFIER_PRIVATE_KEY: verifier,
    PAYMENT_SETTLEMENT_MODE: options.settlementMode,
    PAYMENT_SETTLE_BACKOFF_MS: '50',
    ...options.env,
  };
  const config = testConfig(env);
  const logger = testLogger('payments-test', config);
  const payerKeys = anvilAccounts()
    .slice(4)
    .map((a) => a.privateKey);
  const deployment = await deployContracts({
    config,
    logger,
    mintTo: anvilAccounts()
      .slice(4)
      .map((a) => a.address),
    mintAmount: PAYER_MINT,
  });
  writeDeployment(config, deployment);
  const facilitator = await startFacilitator({ config, logger, port: 0 });
  const models = await realModels();
  const runtime = options.runtime ?? inferenceRuntimeFromModels(models);
  const start = (mode: SettlementMode, prices?: InferenceNodeOptions['prices']) =>
    startInferenceNode({
      config,
      logger,
      runtime,
      port: 0,
      settlementMode: mode,
      facilitator: createHttpFacilitatorClient(facilitator.url),
      ...options.nodeOptions,
      ...(prices ? { prices } : {}),
    });
  let node = await start(options.settlementMode);
  const stack: PaymentsStack = {
    config,
    deployment,
    facilitator,
    node,
    models,
    payerKeys,
    nodeAddress: privateKeyToAccount(nodeKey).address,
    balanceOf: (owner) => tokenBalanceOf(config, deployment.token.address, owner),
    configWith: (extra) => testConfig({ ...env, ...extra }),
    async restartNode(overrides = {}) {
      await node.close();
      node = await start(overrides.settlementMode ?? options.settlementMode, overrides.prices);
      stack.node = node;
      return node;
    },
    async close() {
      await node.close();
      await stack.facilitator.close(); // a suite may have replaced it with a restarted one
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Valid rows for a model of the registry: every feature at the middle of its documented range. */
export function validRows(models: ModelRuntime, name: string, count = 1): number[][] {
  const model = models.describe(name);
  const row = model.featureOrder.map((f) => (f.min + f.max) / 2);
  return Array.from({ length: count }, (_, i) => row.map((v, j) => (j === 0 ? v + i * 1e-3 : v)));
}

/**
 * What a paying client would present to the stack's node for `idempotencyKey`, built by hand: the node's 402
 * requirements and the deterministic EIP-3009 authorization for them (same key and issuedAt give the same bytes).
 */
export async function signedPaymentFor(
  stack: PaymentsStack,
  privateKey: Hex,
  idempotencyKey: string,
  issuedAt: number,
) {
  const account = privateKeyToAccount(privateKey);
  const modelId = stack.models.describe('supplier-risk').id;
  const unpaid = await fetch(`${stack.node.url}/v1/models/${modelId}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rows: validRows(stack.models, 'supplier-risk') }),
  });
  const required = decodePaymentRequiredHeader(unpaid.headers.get('PAYMENT-REQUIRED') as string);
  const requirements = required.accepts[0] as PaymentRequirements;
  const scheme = new IdempotentExactEvmScheme(account, {
    nonce: derivePaymentNonce(account.address, idempotencyKey),
    issuedAtSeconds: toUnixSeconds(issuedAt),
  });
  const { payload } = await scheme.createPaymentPayload(2, requirements);
  return {
    account,
    requirements,
    payload,
    paymentPayload: { x402Version: 2, resource: required.resource, accepted: requirements, payload },
  };
}
