// The prover process keeps each circuit's witness generator and proving key loaded: its proofs verify under the
// model's key, and a key rebuilt at the same path is read again (never a stale circuit's proof).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../../../src/models';
import { modelBytesFromRegistry } from '../../../src/verification';
import { releaseProvingResources } from '../../../src/verification/proof/prover';
import { fullProveInChild } from '../../../src/verification/proof/prover-process';
import { ensureProvingKeys, type ProvingKeys } from '../../../src/verification/proof/proving-keys';
import { quantizeInput, toField } from '../../../src/verification/proof/quantize';
import { testConfig } from '../../support/test-config';

// Also ends snarkjs' BN254 worker threads started by the verifications in this process.
afterAll(() => releaseProvingResources());

async function keysOf(name: string): Promise<{ keys: ProvingKeys; x: string[] }> {
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new Error(`no model ${name}`);
  const keys = await ensureProvingKeys(entry.id, testConfig().cacheDir, modelBytesFromRegistry());
  const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, name, 'holdout.json'), 'utf8')) as {
    sets: Array<{ rows: number[][] }>;
  };
  const row = holdout.sets[0]?.rows[0] as number[];
  return { keys, x: quantizeInput(row).map((v) => toField(v).toString()) };
}

describe('prover process with loaded circuits', () => {
  it('proves the same circuit again from its loaded state, each proof valid under the model key', async () => {
    const { keys, x } = await keysOf('supplier-risk');
    const first = await fullProveInChild({ x }, keys.wasm, keys.zkey);
    const second = await fullProveInChild({ x }, keys.wasm, keys.zkey);
    expect(second.publicSignals).toEqual(first.publicSignals);
    expect(second.proof).not.toEqual(first.proof); // Groth16 proofs are randomised: a new proof, not a cached answer
    for (const { proof, publicSignals } of [first, second])
      await expect(snarkjs.groth16.verify(keys.verificationKey, publicSignals, proof)).resolves.toBe(true);
  }, 120_000);

  it('keeps concurrent proofs of one circuit apart: each proves its own row', async () => {
    const { keys } = await keysOf('supplier-risk');
    const holdout = JSON.parse(
      fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'supplier-risk', 'holdout.json'), 'utf8'),
    ) as { sets: Array<{ rows: number[][] }> };
    const rows = (holdout.sets[0]?.rows ?? []).slice(0, 4);
    expect(rows.length).toBe(4);
    const inputs = rows.map((row) => quantizeInput(row).map((v) => toField(v).toString()));
    const proofs = await Promise.all(inputs.map((x) => fullProveInChild({ x }, keys.wasm, keys.zkey)));
    const k = keys.circuit.sigmoid.length;
    proofs.forEach(({ publicSignals }, i) => expect(publicSignals.slice(k)).toEqual(inputs[i]));
    for (const { proof, publicSignals } of proofs)
      await expect(snarkjs.groth16.verify(keys.verificationKey, publicSignals, proof)).resolves.toBe(true);
  }, 120_000);

  it('reads a circuit again when its files at the same path change', async () => {
    const risk = await keysOf('supplier-risk');
    const eta = await keysOf('lane-eta');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prover-cache-'));
    const wasm = path.join(dir, 'model.wasm');
    const zkey = path.join(dir, 'model.zkey');
    fs.copyFileSync(risk.keys.wasm, wasm);
    fs.copyFileSync(risk.keys.zkey, zkey);
    const before = await fullProveInChild({ x: risk.x }, wasm, zkey);
    await expect(snarkjs.groth16.verify(risk.keys.verificationKey, before.publicSignals, before.proof)).resolves.toBe(
      true,
    );

    fs.copyFileSync(eta.keys.wasm, wasm);
    fs.copyFileSync(eta.keys.zkey, zkey);
    const after = await fullProveInChild({ x: eta.x }, wasm, zkey);
    await expect(snarkjs.groth16.verify(eta.keys.verificationKey, after.publicSignals, after.proof)).resolves.toBe(
      true,
    );
  }, 120_000);
});
