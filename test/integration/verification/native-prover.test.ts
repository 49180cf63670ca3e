// The native Groth16 prover (Rust, built by the stack's provisioning): its proofs of every built-in model verify under
// snarkjs' verification key with the public signals snarkjs itself computes; a proof does not verify for other public
// signals; a bad key or witness is a named error and the prover goes on; it runs at the prover's nice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../../../src/models';
import { builtNativeProver, ensureNativeProver, modelBytesFromRegistry } from '../../../src/verification';
import { releaseProvingResources } from '../../../src/verification/proof/prover';
import {
  fullProveInChild,
  PROVER_NICE,
  proverProcessId,
  ProverProcessError,
} from '../../../src/verification/proof/prover-process';
import { ensureProvingKeys } from '../../../src/verification/proof/proving-keys';
import { quantizeInput, toField } from '../../../src/verification/proof/quantize';
import { testConfig } from '../../support/test-config';

afterAll(() => releaseProvingResources());

let binary: string;
beforeAll(async () => {
  const prover = await ensureNativeProver(testConfig().cacheDir);
  if (!prover.available)
    throw new Error(`the stack's provisioning should have built the native prover: ${prover.reason}`);
  binary = prover.binary;
}, 600_000);

async function modelRows(name: string) {
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new Error(`no model ${name}`);
  const keys = await ensureProvingKeys(entry.id, testConfig().cacheDir, modelBytesFromRegistry());
  const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, name, 'holdout.json'), 'utf8')) as {
    sets: Array<{ rows: number[][] }>;
  };
  const rows = (holdout.sets[0]?.rows ?? []).slice(0, 2);
  return { keys, inputs: rows.map((row) => quantizeInput(row).map((v) => toField(v).toString())) };
}

/** A process's nice value (field 19 of /proc/<pid>/stat). */
const niceOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

describe('native Groth16 prover', () => {
  it('is built once: the provisioned binary is the one found for these sources and this machine', async () => {
    await expect(builtNativeProver(testConfig().cacheDir)).resolves.toBe(binary);
  });

  it.each(['supplier-risk', 'lane-eta', 'demand-forecast'])(
    '%s: proofs verify under the snarkjs key, with the public signals snarkjs computes',
    async (name) => {
      const { keys, inputs } = await modelRows(name);
      for (const x of inputs) {
        const native = await fullProveInChild({ x }, keys.wasm, keys.zkey, binary);
        const reference = await fullProveInChild({ x }, keys.wasm, keys.zkey);
        expect(native.publicSignals).toEqual(reference.publicSignals);
        expect(native.proof.protocol).toBe('groth16');
        await expect(snarkjs.groth16.verify(keys.verificationKey, native.publicSignals, native.proof)).resolves.toBe(
          true,
        );
      }
    },
    180_000,
  );

  it('makes proofs that bind their public signals: another row or output does not verify', async () => {
    const { keys, inputs } = await modelRows('supplier-risk');
    const [first, second] = await Promise.all(inputs.map((x) => fullProveInChild({ x }, keys.wasm, keys.zkey, binary)));
    if (!first || !second) throw new Error('two proofs expected');
    expect(first.publicSignals).not.toEqual(second.publicSignals);
    await expect(snarkjs.groth16.verify(keys.verificationKey, second.publicSignals, first.proof)).resolves.toBe(false);
    const forged = [...first.publicSignals];
    forged[0] = (BigInt(forged[0] as string) + 1n).toString();
    await expect(snarkjs.groth16.verify(keys.verificationKey, forged, first.proof)).resolves.toBe(false);
  }, 120_000);

  it('answers a key that is not a Groth16 zkey with a named error and proves the next job', async () => {
    const { keys, inputs } = await modelRows('supplier-risk');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-prover-'));
    const notAKey = path.join(dir, 'model.zkey');
    fs.writeFileSync(notAKey, 'not a key');
    const x = inputs[0] as string[];
    await expect(fullProveInChild({ x }, keys.wasm, notAKey, binary)).rejects.toThrow(ProverProcessError);
    await expect(fullProveInChild({ x }, keys.wasm, notAKey, binary)).rejects.toThrow(/not a zkey file/);
    // The witness of one circuit against the key of another: refused, not a proof of nothing.
    const eta = await modelRows('lane-eta');
    await expect(fullProveInChild({ x }, keys.wasm, eta.keys.zkey, binary)).rejects.toThrow(/witness has \d+ values/);
    const ok = await fullProveInChild({ x }, keys.wasm, keys.zkey, binary);
    await expect(snarkjs.groth16.verify(keys.verificationKey, ok.publicSignals, ok.proof)).resolves.toBe(true);
  }, 120_000);

  it('runs at the prover process nice (Linux), so native proofs also take only the CPU the fast path leaves', async () => {
    const { keys, inputs } = await modelRows('supplier-risk');
    await fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, keys.zkey, binary);
    if (process.platform !== 'linux') return;
    const prover = proverProcessId() as number;
    const children = fs
      .readdirSync(`/proc/${prover}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${prover}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
    const natives = children.filter((pid) => fs.readlinkSync(`/proc/${pid}/exe`) === binary);
    expect(natives).toHaveLength(1);
    expect(niceOf(natives[0] as number)).toBe(PROVER_NICE);
  }, 120_000);
});
