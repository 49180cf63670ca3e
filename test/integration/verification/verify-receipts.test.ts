// End to end through HTTP: a node (honest or misbehaving) answers, the verifier fetches receipt, attestation and proof,
// and every fault is caught by the check and reason code the fault catalogue names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadConfig, type EngineConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR, loadModelManifest, type ModelRuntime } from '../../../src/models';
import { FAULT_CATALOGUE, NODE_FAULTS, releaseProvingResources, startVerifier, type NodeFault } from '../../../src/verification';
import type { Verdict } from '../../../src/contracts';
import { startFaultNode } from './fault-node';

jest.setTimeout(300_000);

const base = loadConfig();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-verify-'));
const operatorKey = generatePrivateKey();
const allowListPath = path.join(stateDir, 'allow-list.json');
const logger = createLogger('verifier-test', { ...base, logFormat: 'json', logLevel: 'silent' });
let runtime: ModelRuntime;
let models: Array<{ id: string; name: string; rows: number[][] }>;

const configFor = (overrides: Partial<EngineConfig['verification']> = {}, mode: EngineConfig['mode'] = 'development'): EngineConfig => ({
  ...base,
  mode,
  stateDir,
  ports: { ...base.ports, host: '127.0.0.1' },
  attestation: { allowDevelopmentRoot: mode === 'development' },
  verification: { ...base.verification, allowListPath, allowListSigner: privateKeyToAccount(operatorKey).address, proofTimeoutMs: 120_000, proofPollMs: 100, ...overrides },
});

beforeAll(async () => {
  runtime = await createOnnxModelRuntime();
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  models = manifest.models.map((m) => {
    const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, m.name, 'holdout.json'), 'utf8')) as { sets: Array<{ rows: number[][] }> };
    return { id: m.id, name: m.name, rows: (holdout.sets[0]?.rows ?? []).slice(0, 2) };
  });
});
afterAll(async () => {
  await runtime.close();
  await releaseProvingResources();
});

async function verifyOnce(faults: NodeFault[], config: EngineConfig, model = models[0]!, nodeId = `node-${faults.join('-') || 'honest'}`): Promise<Verdict> {
  const substitute = models.find((m) => m.id !== model.id)!.id;
  const node = await startFaultNode({ nodeId, faults, stateDir, cacheDir: base.cacheDir, allowListPath, operatorKey, runtime, modelIds: models.map((m) => m.id), substituteModelId: substitute });
  const verifier = await startVerifier({ config, logger, port: 0, runtime });
  try {
    const { receipt, outputs } = await node.infer(model.id, model.rows);
    const job = { receiptId: receipt.receiptId, nodeUrl: node.url, rows: model.rows, outputs };
    const posted = await fetch(`${verifier.url}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) });
    expect(posted.status).toBe(202);
    for (;;) {
      const res = await fetch(`${verifier.url}/v1/verdicts/${receipt.receiptId}`);
      if (res.status === 200) return (await res.json()) as Verdict;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await verifier.close();
    await node.close();
  }
}

describe('verifying receipts end to end', () => {
  it.each([0, 1, 2])('passes all three checks for an honest node (model %i)', async (index) => {
    const verdict = await verifyOnce([], configFor(), models[index]);
    expect(verdict.checks).toEqual({
      attestation: expect.objectContaining({ status: 'pass' }),
      proof: expect.objectContaining({ status: 'pass' }),
      reexecution: expect.objectContaining({ status: 'pass' }),
    });
    expect(verdict.verified).toBe(true);
  });

  it.each(NODE_FAULTS.filter((f) => f !== 'proof_never_delivered'))('catches %s and names it', async (fault) => {
    const verdict = await verifyOnce([fault], configFor());
    expect(verdict.verified).toBe(false);
    const caught = FAULT_CATALOGUE[fault].caughtBy.filter(({ check, reason }) => verdict.checks[check].reason === reason);
    expect({ fault, caught: caught.length > 0, checks: verdict.checks }).toMatchObject({ fault, caught: true });
  });

  it('times out the proof check when the proof is never delivered', async () => {
    const verdict = await verifyOnce(['proof_never_delivered'], configFor({ proofTimeoutMs: 3000 }));
    expect(verdict.checks.proof).toMatchObject({ status: 'timeout', reason: 'check_timeout' });
    expect(verdict.checks.reexecution.status).toBe('pass');
    expect(verdict.verified).toBe(false);
  });

  it('refuses the development root in production mode', async () => {
    const verdict = await verifyOnce([], configFor({}, 'production'), models[0], 'node-in-production');
    expect(verdict.checks.attestation).toMatchObject({ status: 'fail', reason: 'attestation_development_root_refused' });
  });
});
