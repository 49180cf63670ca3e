// End to end on the real paid node: a payer pays for an inference over x402 (deferred settlement), the verifier fetches
// receipt, attestation and proof from the node and re-executes, and every fault a node can be started with is caught by
// the check and reason code the fault catalogue names.
import path from 'node:path';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../../../src/config';
import { checkVerdictSignature, VerdictSchema, type Verdict } from '../../../src/contracts';
import { inferenceRuntimeFromModels, startInferenceNode, type InferenceNodeHandle } from '../../../src/inference-node';
import { createPayingClientFromConfig } from '../../../src/payments';
import {
  FAULT_CATALOGUE,
  jobSignerFor,
  NODE_FAULTS,
  releaseProvingResources,
  startVerifier,
  type NodeFault,
} from '../../../src/verification';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, validRows, type PaymentsStack } from '../payments/support/payments-stack';

jest.setTimeout(300_000);

type Verifier = { url: string; close(): Promise<void> };

const MODEL = 'supplier-risk';
let stack: PaymentsStack;
let verifier: Verifier;
let payers = 0;

beforeAll(async () => {
  stack = await startPaymentsStack({ settlementMode: 'deferred' });
  verifier = await startTestVerifier(stack.config);
});
afterAll(async () => {
  await verifier?.close();
  await stack?.close();
  await releaseProvingResources();
});

function startTestVerifier(config: EngineConfig): Promise<Verifier> {
  return startVerifier({ config, logger: testLogger('verifier-test', config), port: 0, runtime: stack.models });
}

/**
 * Runs `use` against a real paid node started with `faults` on this suite's chain and facilitator, then closes it. Every
 * node of the suite has the stack's node key (hence node id and allow-list entry): separate journals keep their receipts
 * apart, and one node at a time keeps their transactions (and the process-wide prover) from overlapping.
 */
async function withFaultyNode<T>(faults: NodeFault[], use: (node: InferenceNodeHandle) => Promise<T>): Promise<T> {
  const { config } = stack;
  const requested = stack.models.describe(MODEL).id;
  const node = await startInferenceNode({
    config,
    logger: testLogger('inference-node-test', config),
    runtime: inferenceRuntimeFromModels(stack.models),
    port: 0,
    facilitator: new HTTPFacilitatorClient({ url: stack.facilitator.url }),
    journalFile: path.join(config.stateDir, 'node', `${faults.join('-')}-${Date.now()}.jsonl`),
    faults,
    substituteModelId: stack.models.listModels().find((m) => m.id !== requested)!.id,
  });
  try {
    expect(node.faults).toEqual(faults);
    return await use(node);
  } finally {
    await node.close();
  }
}

/** Pays one inference on `node` with a payer of its own, asks `verifierUrl` for the verdict and waits for it. */
async function payAndVerify(
  paidNode: InferenceNodeHandle,
  { model = MODEL, verifierUrl = verifier.url, afterPaying = async () => paidNode } = {},
) {
  const payer = payers++;
  const client = createPayingClientFromConfig(stack.config, { privateKey: stack.payerKeys[payer]! });
  const rows = validRows(stack.models, model, 2);
  const paid = await client.payAndInfer({
    nodeUrl: paidNode.url,
    modelId: stack.models.describe(model).id,
    rows,
    idempotencyKey: `verify-receipts-${payer}`,
    issuedAt: Date.now(),
  });
  const node = await afterPaying();
  const job = { receiptId: paid.receipt.receiptId, nodeUrl: node.url, rows, outputs: paid.outputs };
  const body = JSON.stringify(job);
  const posted = await fetch(`${verifierUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await jobSignerFor(stack.config.keys.payer)(body)) },
    body,
  });
  expect(posted.status).toBe(202);
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${verifierUrl}/v1/verdicts/${paid.receipt.receiptId}`);
    if (res.status === 200) {
      // The deferred settlement and the receipt's commitment are sent with the node key: let them land before another
      // node with that key starts sending.
      await node.drain();
      return { paid, verdict: VerdictSchema.parse(await res.json()) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verdict for ${paid.receipt.receiptId}`);
}

const reasons = (verdict: Verdict) => ({
  attestation: verdict.checks.attestation.reason ?? verdict.checks.attestation.status,
  proof: verdict.checks.proof.reason ?? verdict.checks.proof.status,
  reexecution: verdict.checks.reexecution.reason ?? verdict.checks.reexecution.status,
});

describe('verifying receipts of the paid node end to end', () => {
  it.each(['supplier-risk', 'demand-forecast', 'lane-eta'])(
    'passes all three checks for an honest node (%s)',
    async (model) => {
      const { paid, verdict } = await payAndVerify(stack.node, { model });

      expect(paid.receipt).toMatchObject({ settlementMode: 'deferred', signer: stack.node.signerAddress });
      expect(reasons(verdict)).toEqual({ attestation: 'pass', proof: 'pass', reexecution: 'pass' });
      expect(verdict).toMatchObject({ verified: true, receiptId: paid.receipt.receiptId, nodeId: stack.node.nodeId });
      // Signed by the verifier's key: what the bridge and the decision check before the verdict counts.
      const verifierAddress = privateKeyToAccount(stack.config.keys.verifier).address;
      expect(checkVerdictSignature(verdict, [verifierAddress])).toEqual({ ok: true, signer: verifierAddress });
    },
  );

  it.each(NODE_FAULTS.filter((f) => f !== 'proof_never_delivered'))('catches %s and names it', async (fault) => {
    const verdict = await withFaultyNode([fault], async (node) => (await payAndVerify(node)).verdict);

    expect(verdict.verified).toBe(false);
    const caught = FAULT_CATALOGUE[fault].caughtBy.filter(
      ({ check, reason }) => verdict.checks[check].status === 'fail' && verdict.checks[check].reason === reason,
    );
    expect({ fault, caught: caught.length > 0, checks: reasons(verdict) }).toMatchObject({ fault, caught: true });
  });

  it('times out the proof check when the proof is never delivered', async () => {
    const impatient = await startTestVerifier(
      stack.configWith({ VERIFY_PROOF_TIMEOUT_MS: '3000', VERIFY_PROOF_POLL_MS: '100' }),
    );
    try {
      const verdict = await withFaultyNode(
        ['proof_never_delivered'],
        async (node) => (await payAndVerify(node, { verifierUrl: impatient.url })).verdict,
      );

      expect(verdict.checks.proof).toMatchObject({ status: 'timeout', reason: 'check_timeout' });
      expect(reasons(verdict)).toMatchObject({ attestation: 'pass', reexecution: 'pass' });
      expect(verdict.verified).toBe(false);
    } finally {
      await impatient.close();
    }
  });

  it('passes a receipt signed before the node restarted with a new key (checked against its key-birth document)', async () => {
    const { paid, verdict } = await payAndVerify(stack.node, {
      afterPaying: async () => {
        await stack.node.drain();
        return stack.restartNode();
      },
    });
    expect(stack.node.signerAddress).not.toBe(paid.receipt.signer); // the live enclave holds another key now
    expect(reasons(verdict)).toEqual({ attestation: 'pass', proof: 'pass', reexecution: 'pass' });
  });

  it('refuses the development root in production mode', async () => {
    // A verifier loaded as production would be (no anvil keys, contracts and allow-list signer named) facing the honest
    // development node: its attestation chains to the development root, which production never pins.
    const production = await startTestVerifier(
      stack.configWith({
        PROOFPATH_MODE: 'production',
        ATTESTATION_ALLOW_DEVELOPMENT_ROOT: 'false',
        PAYER_PRIVATE_KEY: generatePrivateKey(),
        PAYMENT_TOKEN_ADDRESS: stack.deployment.token.address,
        SETTLEMENT_REGISTRY_ADDRESS: stack.deployment.registry.address,
        NODE_ALLOW_LIST_SIGNER: privateKeyToAccount(stack.config.keys.deployer).address,
        // Production names who may submit jobs; payAndVerify signs them with the development payer key.
        VERIFIER_JOB_SUBMITTERS: privateKeyToAccount(stack.config.keys.payer).address,
      }),
    );
    try {
      const { verdict } = await payAndVerify(stack.node, { verifierUrl: production.url });

      expect(verdict.checks.attestation).toMatchObject({
        status: 'fail',
        reason: 'attestation_development_root_refused',
      });
      expect(verdict.verified).toBe(false);
    } finally {
      await production.close();
    }
  });
});
