// The real paid node end to end with the verifier: a payer pays for an inference over x402, the verifier fetches the
// receipt, a fresh attestation and the proof from the node, and re-executes. Honest passes all three checks; a node
// started with a fault fails the check the fault catalogue names.
import path from 'node:path';
import { HTTPFacilitatorClient } from '@x402/core/server';
import type { EngineConfig } from '../../../src/config';
import { VerdictSchema, type Verdict } from '../../../src/contracts';
import { inferenceRuntimeFromModels, startInferenceNode, type InferenceNodeHandle, type InferenceNodeOptions } from '../../../src/inference-node';
import { createPayingClientFromConfig } from '../../../src/payments';
import { FAULT_CATALOGUE, releaseProvingResources, startVerifier, type NodeFault } from '../../../src/verification';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, validRows, type PaymentsStack } from '../payments/support/payments-stack';

jest.setTimeout(180_000);

let stack: PaymentsStack;
let verifier: { url: string; close(): Promise<void> };
let payers = 0;
const MODEL = 'supplier-risk';

beforeAll(async () => {
  stack = await startPaymentsStack({ settlementMode: 'deferred' });
  verifier = await startVerifier({ config: stack.config, logger: testLogger('verifier-test', stack.config), port: 0, runtime: stack.models });
});
afterAll(async () => {
  await verifier?.close();
  await stack?.close();
  await releaseProvingResources();
});

function startNode(overrides: Partial<InferenceNodeOptions>): Promise<InferenceNodeHandle> {
  const { config } = stack;
  return startInferenceNode({
    config, logger: testLogger('inference-node-test', config), runtime: inferenceRuntimeFromModels(stack.models), port: 0,
    facilitator: new HTTPFacilitatorClient({ url: stack.facilitator.url }),
    // Every node of this suite has the same key (hence node id): separate journals keep their receipts apart.
    journalFile: path.join(config.stateDir, 'node', `${(overrides.faults ?? []).join('-') || 'honest'}-${Date.now()}.jsonl`),
    ...overrides,
  });
}

/** Pays one inference on `node` with a payer of its own, then asks `verifierUrl` for the verdict and waits for it. */
async function payAndVerify(node: InferenceNodeHandle, verifierUrl = verifier.url) {
  const payerKey = stack.payerKeys[payers++]!;
  const client = createPayingClientFromConfig(stack.config, { privateKey: payerKey });
  const rows = validRows(stack.models, MODEL, 2);
  const paid = await client.payAndInfer({ nodeUrl: node.url, modelId: stack.models.describe(MODEL).id, rows, idempotencyKey: `verifiable-${payers}-${Date.now()}`, issuedAt: Date.now() });
  const job = { receiptId: paid.receipt.receiptId, nodeUrl: node.url, rows, outputs: paid.outputs };
  const posted = await fetch(`${verifierUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
  expect(posted.status).toBe(202);
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${verifierUrl}/v1/verdicts/${paid.receipt.receiptId}`);
    if (res.status === 200) return { paid, verdict: VerdictSchema.parse(await res.json()) };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verdict for ${paid.receipt.receiptId}`);
}

const reasons = (verdict: Verdict) => ({
  attestation: verdict.checks.attestation.reason ?? verdict.checks.attestation.status,
  proof: verdict.checks.proof.reason ?? verdict.checks.proof.status,
  reexecution: verdict.checks.reexecution.reason ?? verdict.checks.reexecution.status,
});

describe('a verifiable inference node', () => {
  it('passes attestation, proof and re-execution when honest', async () => {
    const { paid, verdict } = await payAndVerify(stack.node);

    expect(paid.receipt.signer).toBe(stack.node.signerAddress);
    expect(reasons(verdict)).toEqual({ attestation: 'pass', proof: 'pass', reexecution: 'pass' });
    expect(verdict).toMatchObject({ verified: true, receiptId: paid.receipt.receiptId, nodeId: stack.node.nodeId });
    const proof = await fetch(`${stack.node.url}/v1/receipts/${paid.receipt.receiptId}/proof`);
    expect(proof.status).toBe(200);
    await expect(proof.json()).resolves.toMatchObject({ status: 'ready', bundle: { receiptId: paid.receipt.receiptId, rows: paid.outputs.map(() => expect.any(Array)) } });
  });

  it('serves attestation documents for a hex nonce and refuses a malformed one', async () => {
    const good = await fetch(`${stack.node.url}/v1/attestation?nonce=${'ab'.repeat(32)}`);
    expect(good.status).toBe(200);
    await expect(good.json()).resolves.toMatchObject({ format: 'aws-nitro-cose-sign1', document: expect.any(String) });
    const bad = await fetch(`${stack.node.url}/v1/attestation?nonce=not-hex`);
    expect(bad.status).toBe(400);
    await expect(bad.json()).resolves.toMatchObject({ reason: 'invalid_nonce' });
  });

  it.each<[NodeFault, { check: 'attestation' | 'proof' | 'reexecution'; reason: string }[]]>([
    ['wrong_output', [{ check: 'reexecution', reason: 'reexecution_output_mismatch' }, { check: 'proof', reason: 'proof_output_mismatch' }]],
    ['unattested_signing_key', [{ check: 'attestation', reason: 'receipt_signer_not_attested' }]],
  ])('fails verification when started with %s, naming the reason', async (fault, expected) => {
    const node = await startNode({ faults: [fault] });
    try {
      const { verdict } = await payAndVerify(node);
      expect(verdict.verified).toBe(false);
      for (const { check, reason } of expected) expect({ check, result: verdict.checks[check] }).toMatchObject({ check, result: { status: 'fail', reason } });
      expect(FAULT_CATALOGUE[fault].caughtBy).toEqual(expect.arrayContaining(expected));
    } finally {
      await node.close();
    }
  });

  it('times the proof check out when started with proof_never_delivered', async () => {
    const node = await startNode({ faults: ['proof_never_delivered'] });
    const config: EngineConfig = { ...stack.config, verification: { ...stack.config.verification, proofTimeoutMs: 3000 } };
    const impatient = await startVerifier({ config, logger: testLogger('verifier-test', config), port: 0, runtime: stack.models });
    try {
      const { verdict } = await payAndVerify(node, impatient.url);
      expect(reasons(verdict)).toEqual({ attestation: 'pass', proof: 'check_timeout', reexecution: 'pass' });
      expect(verdict.checks.proof.status).toBe('timeout');
      expect(verdict.verified).toBe(false);
    } finally {
      await impatient.close();
      await node.close();
    }
  });

  it('refuses to start in production without an enclave, or with faults', async () => {
    const production: EngineConfig = { ...stack.config, mode: 'production', attestation: { allowDevelopmentRoot: false } };
    await expect(startNode({ config: production })).rejects.toMatchObject({ name: 'NodeStartError', code: 'nitro_nsm_unavailable' });
    await expect(startNode({ config: production, faults: ['wrong_output'] })).rejects.toMatchObject({ name: 'NodeStartError', code: 'node_faults_refused' });
  });
});
