// Bring your own model, end to end: a third-party skl2onnx MLP (models/third-party, not trained by this project) is
// registered with the CLI, served by a real paid node (x402, deferred settlement), and the verifier passes all three
// checks on its receipt: the attestation covers its id, the zk proof covers its graph, re-execution reproduces it.
// A deliberately wrong declaration is refused with a named error, at `models add` and at load.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { VerdictSchema } from '../../../src/contracts';
import { inferenceRuntimeFromModels } from '../../../src/inference-node';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR, modelIdOf, REGISTRY_FILE, type ModelRuntime } from '../../../src/models';
import { createPayingClientFromConfig } from '../../../src/payments';
import { jobSignerFor, releaseProvingResources, startVerifier } from '../../../src/verification';
import { testLogger } from '../../support/test-config';
import { startPaymentsStack, type PaymentsStack } from '../payments/support/payments-stack';

jest.setTimeout(300_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..', '..');
const MODEL_FILE = path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp.onnx');
const MODEL_ID = modelIdOf(fs.readFileSync(MODEL_FILE));
const TANH_FILE = path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp-tanh.onnx');
const TANH_ID = modelIdOf(fs.readFileSync(TANH_FILE));
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-byom-'));

/** Runs the real CLI (bin/proofpath.mjs) with MODELS_DIR pointing at this suite's registry. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO, 'bin', 'proofpath.mjs'), ...args], { cwd: REPO, env: { ...process.env, MODELS_DIR: modelsDir, LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let stack: PaymentsStack | undefined;
let runtime: ModelRuntime | undefined;
let verifier: { url: string; close(): Promise<void> } | undefined;

afterAll(async () => {
  await verifier?.close();
  await stack?.close();
  await runtime?.close();
  await releaseProvingResources();
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

describe('a third-party ONNX model', () => {
  it('is refused when the declared feature schema does not fit the graph, naming the field', async () => {
    const result = await cli('models', 'add', MODEL_FILE, '--name', 'acme-late', '--inputs', 'priceRatio,onTimeRate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ModelManifestMismatchError (model_manifest_mismatch): inputs: declared 2, but the model has 7');
    expect(fs.existsSync(path.join(modelsDir, REGISTRY_FILE))).toBe(false);
  });

  it('registers with the supplier-risk feature schema and says what it supports', async () => {
    const added = await cli('models', 'add', MODEL_FILE, '--name', 'acme-late', '--inputs', 'supplier-risk', '--columns', 'lateOrShortProbability,onTimeProbability');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const shown = await cli('models', 'show', MODEL_ID, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: MODEL_ID, name: 'acme-late', source: 'registered', roles: ['supplier-risk'],
      proof: { status: 'supported' }, omittedOutputs: [{ name: 'label' }],
    });
  });

  it('registers a tanh MLP as proof: unsupported, naming the operator that blocks the circuit', async () => {
    expect((await cli('models', 'add', TANH_FILE, '--name', 'acme-late-tanh', '--inputs', 'supplier-risk')).code).toBe(0);
    const shown = JSON.parse((await cli('models', 'show', 'acme-late-tanh', '--json')).stdout) as { proof: unknown };
    expect(shown.proof).toMatchObject({ status: 'unsupported', step: 'read model graph', operator: 'Tanh' });
  });

  it('refuses at load a registry edited to declare a width the model does not have', async () => {
    const file = path.join(modelsDir, REGISTRY_FILE);
    const original = fs.readFileSync(file, 'utf8');
    const registry = JSON.parse(original) as { models: Array<{ output: { shape: [string, number] } }> };
    registry.models.find((m) => (m as unknown as { id: string }).id === MODEL_ID)!.output.shape = ['N', 1];
    fs.writeFileSync(file, JSON.stringify(registry));
    try {
      await expect(createOnnxModelRuntime({ userModelsDir: modelsDir })).rejects.toMatchObject({ name: 'ModelManifestMismatchError', details: { field: 'output.shape[1]', declared: 1, actual: 2 } });
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('is served for payment and passes attestation, proof and re-execution', async () => {
    runtime = await createOnnxModelRuntime({ userModelsDir: modelsDir });
    stack = await startPaymentsStack({ settlementMode: 'deferred', env: { MODELS_DIR: modelsDir }, runtime: inferenceRuntimeFromModels(runtime) });
    const { config } = stack;
    verifier = await startVerifier({ config, logger: testLogger('byom-verifier', config), port: 0, runtime });
    const { paid, verdict } = await payAndVerify(MODEL_ID, 0);
    expect(paid.receipt.modelId).toBe(MODEL_ID);
    expect(paid.outputs).toHaveLength(2);
    // Two probability columns that sum to one; the risky supplier is likelier to be late than the reliable one.
    for (const [late, onTime] of paid.outputs as Array<[number, number]>) expect(late + onTime).toBeCloseTo(1, 5);
    expect(paid.outputs[1]![0]!).toBeGreaterThan(paid.outputs[0]![0]!);
    expect(verdict.checks).toEqual({
      attestation: expect.objectContaining({ status: 'pass' }),
      proof: expect.objectContaining({ status: 'pass' }),
      reexecution: expect.objectContaining({ status: 'pass' }),
    });
    expect(verdict.verified).toBe(true);
  });

  it('outside the zk family: attested and re-executed, the proof check says unsupported and the verdict is not verified', async () => {
    const { verdict } = await payAndVerify(TANH_ID, 1);
    expect(verdict.checks.attestation.status).toBe('pass');
    expect(verdict.checks.reexecution.status).toBe('pass');
    expect(verdict.checks.proof).toMatchObject({ status: 'unsupported', reason: 'proof_unsupported' });
    expect(verdict.checks.proof.detail).toContain('Tanh');
    expect(verdict.verified).toBe(false);
  });
});

/** Pays one inference of `modelId` on the suite's node (listed there) and waits for the verifier's verdict on it. */
async function payAndVerify(modelId: string, payer: number) {
  if (!stack || !verifier) throw new Error('the stack is not up');
  const listing = (await (await fetch(`${stack.node.url}/v1/models`)).json()) as { models: Array<{ modelId: string }> };
  expect(listing.models).toContainEqual(expect.objectContaining({ modelId }));
  const rows = [[1.1, 30, 0.92, 0.02, 800, 0.4, 0.2], [0.9, 90, 0.55, 0.2, 12000, 1.3, 0.9]];
  const client = createPayingClientFromConfig(stack.config, { privateKey: stack.payerKeys[payer]! });
  const paid = await client.payAndInfer({ nodeUrl: stack.node.url, modelId, rows, idempotencyKey: `byom-${modelId}-${Date.now()}`, issuedAt: Date.now() });
  const body = JSON.stringify({ receiptId: paid.receipt.receiptId, nodeUrl: stack.node.url, rows, outputs: paid.outputs });
  // Verification jobs are signed by the engine's payer key (the verifier accepts only its configured submitters).
  const signed = await jobSignerFor(stack.config.keys.payer)(body);
  const posted = await fetch(`${verifier.url}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body });
  expect(posted.status).toBe(202);
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${verifier.url}/v1/verdicts/${paid.receipt.receiptId}`);
    if (res.status === 200) {
      await stack.node.drain();
      return { paid, verdict: VerdictSchema.parse(await res.json()) };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no verdict on ${paid.receipt.receiptId} in time`);
}
