// What the real paid node serves to verifiers: fresh attestation documents binding its receipt-signing key at
// GET /v1/attestation, proofs made after answering at GET /v1/receipts/:id/proof, and what a node started with a fault
// serves there instead. The verifier's verdicts on these nodes are test/integration/verification/verify-receipts.test.ts.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { bytesToHex, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import type { EngineConfig } from '../../../src/config';
import {
  inferenceRuntimeFromModels,
  startInferenceNode,
  type InferenceNodeHandle,
  type InferenceNodeOptions,
} from '../../../src/inference-node';
import { createPayingClientFromConfig } from '../../../src/payments';
import {
  decodeAttestationDocument,
  decodeCoseSign1,
  ensureProvingKeys,
  modelBytesFromRegistry,
  ProofStatusSchema,
  recoverReceiptSigner,
  reexecuteReceipt,
  releaseProvingResources,
  verifyProof,
  type NodeFault,
} from '../../../src/verification';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, validRows, type PaymentsStack } from '../payments/support/payments-stack';

jest.setTimeout(180_000);

const MODEL = 'supplier-risk';
let stack: PaymentsStack;
let payers = 0;

beforeAll(async () => {
  stack = await startPaymentsStack({ settlementMode: 'deferred' });
});
// Receipts' commitments are sent with the node key that every node of this suite shares: let them land between tests.
afterEach(() => stack?.node.drain());
afterAll(async () => {
  await stack?.close();
  await releaseProvingResources();
});

function startNode(overrides: Partial<InferenceNodeOptions>): Promise<InferenceNodeHandle> {
  const { config } = stack;
  return startInferenceNode({
    config,
    logger: testLogger('inference-node-test', config),
    runtime: inferenceRuntimeFromModels(stack.models),
    port: 0,
    facilitator: new HTTPFacilitatorClient({ url: stack.facilitator.url }),
    // Every node of this suite has the same key (hence node id): separate journals keep their receipts apart.
    journalFile: path.join(
      config.stateDir,
      'node',
      `${(overrides.faults ?? []).join('-') || 'honest'}-${Date.now()}.jsonl`,
    ),
    ...overrides,
  });
}

async function withFaultyNode(fault: NodeFault, use: (node: InferenceNodeHandle) => Promise<void>): Promise<void> {
  const node = await startNode({ faults: [fault] });
  try {
    await use(node);
  } finally {
    await node.close();
  }
}

/** Pays one inference of `rows` on `node` with a payer of its own. */
async function pay(node: InferenceNodeHandle, rows = validRows(stack.models, MODEL, 2)) {
  const client = createPayingClientFromConfig(stack.config, { privateKey: stack.payerKeys[payers++]! });
  const paid = await client.payAndInfer({
    nodeUrl: node.url,
    modelId: stack.models.describe(MODEL).id,
    rows,
    idempotencyKey: `verifiable-node-${payers}-${Date.now()}`,
    issuedAt: Date.now(),
  });
  return { ...paid, rows };
}

/** Polls the node's proof of `receiptId` until it is no longer pending; returns every HTTP status seen and the last answer. */
async function pollProof(node: InferenceNodeHandle, receiptId: string) {
  const statuses: number[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${node.url}/v1/receipts/${receiptId}/proof`);
    statuses.push(response.status);
    const answer = ProofStatusSchema.parse(await response.json());
    if (answer.status !== 'pending' || Date.now() > deadline) return { statuses, answer };
    await sleep(100);
  }
}

/** GET /v1/attestation for `nonce`, decoded from its COSE_Sign1 envelope (signature and chain are the verifier's concern). */
async function attestationFor(node: InferenceNodeHandle, nonce: Hex) {
  const response = await fetch(`${node.url}/v1/attestation?nonce=${nonce.slice(2)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as { format: string; document: string };
  const document = decodeAttestationDocument(decodeCoseSign1(Buffer.from(body.document, 'base64')).payload);
  return {
    format: body.format,
    nonce: document.nonce && bytesToHex(document.nonce),
    signer: document.publicKey && publicKeyToAddress(bytesToHex(document.publicKey)),
  };
}

const provingKeys = (modelId: string) => ensureProvingKeys(modelId, stack.config.cacheDir, modelBytesFromRegistry());

describe('a verifiable inference node', () => {
  it('serves a fresh Nitro-format attestation document per nonce, binding its receipt-signing key', async () => {
    const first = await attestationFor(stack.node, `0x${'ab'.repeat(32)}`);
    const second = await attestationFor(stack.node, `0x${'cd'.repeat(32)}`);

    expect(first).toEqual({
      format: 'aws-nitro-cose-sign1',
      nonce: `0x${'ab'.repeat(32)}`,
      signer: stack.node.signerAddress,
    });
    expect(second).toEqual({ ...first, nonce: `0x${'cd'.repeat(32)}` });
  });

  it('refuses a malformed nonce', async () => {
    const bad = await fetch(`${stack.node.url}/v1/attestation?nonce=not-hex`);
    expect(bad.status).toBe(400);
    await expect(bad.json()).resolves.toMatchObject({ reason: 'invalid_nonce' });
  });

  it('answers 202 while the proof is being made, then 200 with a bundle that proves the answer', async () => {
    const paid = await pay(stack.node, validRows(stack.models, MODEL, 4));
    const { statuses, answer } = await pollProof(stack.node, paid.receipt.receiptId);

    // 202 while pending (almost always seen: four rows take ~0.4 s to prove), then 200; never 404 or 500 in between.
    expect(statuses.join(' ')).toMatch(/^(202 )*200$/);
    if (answer.status !== 'ready') throw new Error(`proof ${answer.status}`);
    expect(answer.bundle).toMatchObject({
      receiptId: paid.receipt.receiptId,
      modelId: paid.receipt.modelId,
      rows: paid.rows,
      outputs: paid.outputs,
    });
    expect(answer.bundle.proofs).toHaveLength(paid.rows.length);
    await expect(
      verifyProof(paid.receipt, answer.bundle, paid.rows, paid.outputs, await provingKeys(paid.receipt.modelId)),
    ).resolves.toEqual({ ok: true });
  });

  it('holds a proof poll with waitMs and answers it with the proof once it is made', async () => {
    // Sixteen rows take a few hundred ms to prove even natively: a plain poll right after the answer finds it pending.
    const paid = await pay(stack.node, validRows(stack.models, MODEL, 16));
    const url = `${stack.node.url}/v1/receipts/${paid.receipt.receiptId}/proof`;
    const plain = await fetch(url);
    expect(plain.status).toBe(202);

    // Longer than the node holds (10 s at most, then 202): a prover starved of CPU may need a second held poll, but a
    // node that ignored the wait would answer 202 at once, three times over.
    const statuses: number[] = [];
    let held: Response;
    do {
      held = await fetch(`${url}?waitMs=${2 ** 60}`);
      statuses.push(held.status);
    } while (held.status === 202 && statuses.length < 3);
    expect(statuses.at(-1)).toBe(200);
    const answer = ProofStatusSchema.parse(await held.json());
    expect(answer).toMatchObject({ status: 'ready', bundle: { receiptId: paid.receipt.receiptId } });
  });

  it.each(['-1', 'soon', '2.5'])('refuses a proof poll with waitMs=%s', async (waitMs) => {
    const paid = await pay(stack.node);
    const response = await fetch(`${stack.node.url}/v1/receipts/${paid.receipt.receiptId}/proof?waitMs=${waitMs}`);
    expect(response.status).toBe(400);
    await expect(response.json()).resolves.toMatchObject({ reason: 'malformed_query' });
  });

  it('answers a held proof poll at once when the node shuts down, and closes', async () => {
    // A node that never delivers its proof: a held poll would otherwise be answered only when its 10 s wait ends.
    const node = await startNode({ faults: ['proof_never_delivered'] });
    let closing: Promise<void> | undefined;
    try {
      const paid = await pay(node);
      const url = `${node.url}/v1/receipts/${paid.receipt.receiptId}/proof`;
      expect((await fetch(url)).status).toBe(202);
      const held = fetch(`${url}?waitMs=10000`);
      await sleep(500); // the poll reaches the node and is held
      closing = node.close();
      const answer = await Promise.race([held, sleep(5_000).then(() => 'still held' as const)]);
      if (answer === 'still held') throw new Error('the held poll was not answered when the node shut down');
      expect(answer.status).toBe(202);
      expect(answer.headers.get('connection')).toBe('close');
      await closing; // a keep-alive poller asking again on the same socket would hold this open
    } finally {
      await (closing ?? node.close());
    }
  });

  // verify-receipts.test.ts asserts the verdict catches the fault through one of its catalogued checks; this pins both.
  it('under wrong_output, answers with outputs that neither re-execution nor its own proof supports', async () => {
    await withFaultyNode('wrong_output', async (node) => {
      const paid = await pay(node);
      const { answer } = await pollProof(node, paid.receipt.receiptId);
      if (answer.status !== 'ready') throw new Error(`proof ${answer.status}`);

      await expect(reexecuteReceipt(paid.receipt, paid.rows, stack.models, paid.outputs)).resolves.toMatchObject({
        ok: false,
        reason: 'reexecution_output_mismatch',
      });
      await expect(
        verifyProof(paid.receipt, answer.bundle, paid.rows, paid.outputs, await provingKeys(paid.receipt.modelId)),
      ).resolves.toMatchObject({ ok: false, reason: 'proof_output_mismatch' });
    });
  });

  it('under unattested_signing_key, signs receipts validly but with a key its attestation does not bind', async () => {
    await withFaultyNode('unattested_signing_key', async (node) => {
      const paid = await pay(node);
      const attested = await attestationFor(node, `0x${'ef'.repeat(32)}`);

      expect(attested.signer).toBe(node.signerAddress);
      expect((await recoverReceiptSigner(paid.receipt)).toLowerCase()).toBe(paid.receipt.signer.toLowerCase());
      expect(paid.receipt.signer.toLowerCase()).not.toBe(node.signerAddress.toLowerCase());
    });
  });

  it('under proof_never_delivered, still answers 202 after an honest node has proved the same rows', async () => {
    await withFaultyNode('proof_never_delivered', async (node) => {
      const rows = validRows(stack.models, MODEL, 2);
      const silent = await pay(node, rows);
      await node.drain();
      const honest = await pay(stack.node, rows);
      expect((await pollProof(stack.node, honest.receipt.receiptId)).answer.status).toBe('ready');

      const response = await fetch(`${node.url}/v1/receipts/${silent.receipt.receiptId}/proof`);
      expect(response.status).toBe(202);
      await expect(response.json()).resolves.toEqual({ status: 'pending' });
    });
  });

  it('refuses to start in production without an enclave, or with faults', async () => {
    const production: EngineConfig = {
      ...stack.config,
      mode: 'production',
      attestation: { allowDevelopmentRoot: false },
    };
    await expect(startNode({ config: production })).rejects.toMatchObject({
      name: 'NodeStartError',
      code: 'nitro_nsm_unavailable',
    });
    await expect(startNode({ config: production, faults: ['wrong_output'] })).rejects.toMatchObject({
      name: 'NodeStartError',
      code: 'node_faults_refused',
    });
  });
});
