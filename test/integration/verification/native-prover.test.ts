// The native Groth16 prover (Rust, built by the stack's provisioning): its proofs of every built-in model verify under
// snarkjs' verification key with the public signals snarkjs itself computes; a proof does not verify for other public
// signals; a bad key or witness is a named error and the prover goes on; it runs at the prover's nice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../../../src/models';
import {
  builtNativeProver,
  ensureNativeProver,
  modelBytesFromRegistry,
  type NativeUse,
} from '../../../src/verification';
import { releaseProvingResources } from '../../../src/verification/proof/prover';
import {
  fullProveInChild,
  PROVER_NICE,
  proverProcessId,
  ProverProcessError,
  stopProverProcess,
} from '../../../src/verification/proof/prover-process';
import { ensureProvingKeys } from '../../../src/verification/proof/proving-keys';
import { quantizeInput, toField } from '../../../src/verification/proof/quantize';
import { testConfig } from '../../support/test-config';

afterAll(() => releaseProvingResources());

let binary: string;
/** Strict: no fallback, so a failure of the native process is the test's failure. */
let strict: NativeUse;
beforeAll(async () => {
  // Found, not built: the stack's provisioning (global setup) must have built it.
  const built = await builtNativeProver(testConfig().cacheDir);
  if (!built) throw new Error("the stack's provisioning should have built the native prover");
  binary = built;
  strict = { binary, fallback: false };
}, 60_000);

/** The first non-zero 64-byte G1 point of a section of an iden3 binfile (magic, version, count, then sections of
 *  type u32, size u64, bytes), as a view into `bytes`. */
function firstPointOf(bytes: Buffer, sectionType: number): Buffer {
  let at = 12;
  while (at < bytes.length) {
    const type = bytes.readUInt32LE(at);
    const size = Number(bytes.readBigUInt64LE(at + 4));
    if (type === sectionType)
      for (let p = at + 12; p + 64 <= at + 12 + size; p += 64) {
        const point = bytes.subarray(p, p + 64);
        if (point.some((b) => b !== 0)) return point;
      }
    at += 12 + size;
  }
  throw new Error(`no non-zero point in section ${sectionType}`);
}

/** A script standing in for a broken prover binary; `runs()` counts how often it was started. */
function brokenBinary(name: string, body: string): { binary: string; runs(): number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-prover-'));
  const file = path.join(dir, name);
  const counter = path.join(dir, 'runs');
  fs.writeFileSync(file, `#!/bin/sh\necho run >> '${counter}'\n${body}\n`, { mode: 0o755 });
  const runs = () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);
  return { binary: file, runs };
}

/** A job line's id, read by the stand-in binaries (the job starts with {"id":N,...}). */
const READ_ID = `read job; id=$(echo "$job" | sed 's/^{"id":\\([0-9]*\\).*/\\1/')`;
/** A well-formed answer whose proof is not a proof of anything (the BN254 generators, a zero signal). */
const WRONG_PROOF = `echo "{\\"id\\":$id,\\"proof\\":{\\"pi_a\\":[\\"1\\",\\"2\\",\\"1\\"],\\"pi_b\\":[[\\"1\\",\\"0\\"],[\\"1\\",\\"0\\"],[\\"1\\",\\"0\\"]],\\"pi_c\\":[\\"1\\",\\"2\\",\\"1\\"],\\"protocol\\":\\"groth16\\",\\"curve\\":\\"bn128\\"},\\"publicSignals\\":[\\"0\\"]}"; exec sleep 30`;

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
  it('is built once: the provisioned binary is the one a build for these sources and this machine makes', async () => {
    // With cargo here, ensureNativeProver computes the expected stamp and finds that binary: it does not build again.
    await expect(ensureNativeProver(testConfig().cacheDir)).resolves.toEqual({ available: true, binary });
  });

  it.each(['supplier-risk', 'lane-eta', 'demand-forecast'])(
    '%s: proofs verify under the snarkjs key, with the public signals snarkjs computes',
    async (name) => {
      const { keys, inputs } = await modelRows(name);
      for (const x of inputs) {
        const native = await fullProveInChild({ x }, keys.wasm, keys.zkey, strict);
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
    const [first, second] = await Promise.all(inputs.map((x) => fullProveInChild({ x }, keys.wasm, keys.zkey, strict)));
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
    await expect(fullProveInChild({ x }, keys.wasm, notAKey, strict)).rejects.toThrow(ProverProcessError);
    await expect(fullProveInChild({ x }, keys.wasm, notAKey, strict)).rejects.toThrow(/not a zkey file/);
    // The witness of one circuit against the key of another: refused, not a proof of nothing.
    const eta = await modelRows('lane-eta');
    await expect(fullProveInChild({ x }, keys.wasm, eta.keys.zkey, strict)).rejects.toThrow(/witness has \d+ values/);
    const ok = await fullProveInChild({ x }, keys.wasm, keys.zkey, strict);
    await expect(snarkjs.groth16.verify(keys.verificationKey, ok.publicSignals, ok.proof)).resolves.toBe(true);
  }, 120_000);

  it.each([
    ['off the curve', (point: Buffer) => (point[32] = (point[32] as number) ^ 1), /a G1 point is not on the curve/],
    ['not a field element', (point: Buffer) => point.fill(0xff, 32, 64), /not below the base field's modulus/],
  ] as const)(
    'refuses a proving key with a point %s, naming it, and proves the next job',
    async (_, spoil, reason) => {
      const { keys, inputs } = await modelRows('supplier-risk');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-prover-'));
      const spoiled = path.join(dir, 'model.zkey');
      const bytes = fs.readFileSync(keys.zkey);
      spoil(firstPointOf(bytes, 5)); // section 5: the A query's G1 points
      fs.writeFileSync(spoiled, bytes);
      const x = inputs[0] as string[];
      await expect(fullProveInChild({ x }, keys.wasm, spoiled, strict)).rejects.toThrow(reason);
      const ok = await fullProveInChild({ x }, keys.wasm, keys.zkey, strict);
      await expect(snarkjs.groth16.verify(keys.verificationKey, ok.publicSignals, ok.proof)).resolves.toBe(true);
    },
    120_000,
  );

  it('runs at the prover process nice (Linux), so native proofs also take only the CPU the fast path leaves', async () => {
    const { keys, inputs } = await modelRows('supplier-risk');
    await fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, keys.zkey, strict);
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

  it('runs at the configured nice (PROVER_NICE) when it starts the prover process, the native prover under it too', async () => {
    const { keys, inputs } = await modelRows('supplier-risk');
    await stopProverProcess();
    try {
      await fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, keys.zkey, strict, undefined, 7);
      if (process.platform !== 'linux') return;
      const prover = proverProcessId() as number;
      const threads = fs.readdirSync(`/proc/${prover}/task`);
      expect(threads.map((tid) => niceOf(Number(tid)))).toEqual(threads.map(() => 7));
      const natives = threads
        .flatMap((tid) => fs.readFileSync(`/proc/${prover}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
        .filter(Boolean)
        .map(Number)
        .filter((pid) => fs.readlinkSync(`/proc/${pid}/exe`) === binary);
      expect(natives.map(niceOf)).toEqual([7]);
    } finally {
      await stopProverProcess(); // the next tests start one at the default nice
    }
  }, 120_000);

  describe('a native process that fails', () => {
    // Every row has all four values: jest-each takes a test function with more parameters than the row for one that
    // wants a `done` callback. `exec` makes the killed process the one holding the pipes (no orphaned sleep).
    const cases: Array<[string, string, RegExp, number]> = [
      ['exits at once', 'exit 3', /native prover exited \(3\)/, 30_000],
      ['answers a line that is not JSON', 'read job; echo garbage; exec sleep 30', /not JSON/, 30_000],
      ['answers another job', 'read job; echo \'{"id":-1,"error":"x"}\'; exec sleep 30', /out of order/, 30_000],
      ['never answers', 'exec sleep 600', /took longer than 1500 ms/, 1_500],
      ['answers null', 'read job; echo null; exec sleep 30', /not a JSON object/, 30_000],
      [
        'answers neither a proof nor an error',
        `${READ_ID}; echo "{\\"id\\":$id}"; exec sleep 30`,
        /neither a proof nor an error/,
        30_000,
      ],
      ['answers a proof that does not verify', `${READ_ID}; ${WRONG_PROOF}`, /does not verify/, 30_000],
    ];
    it.each(cases)(
      '%s: strict (native) fails the proof',
      async (_name, body, why, timeoutMs) => {
        const { keys, inputs } = await modelRows('supplier-risk');
        const broken = { binary: brokenBinary('prover', body).binary, fallback: false };
        await expect(
          fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, keys.zkey, broken, timeoutMs),
        ).rejects.toThrow(why);
      },
      60_000,
    );

    it.each(cases)(
      '%s: with fallback (auto) the proof is made by snarkjs and verifies',
      async (_name, body, _why, timeoutMs) => {
        const { keys, inputs } = await modelRows('supplier-risk');
        const fake = brokenBinary('prover', body);
        const broken = { binary: fake.binary, fallback: true };
        for (let i = 0; i < 2; i++) {
          const made = await fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, keys.zkey, broken, timeoutMs);
          await expect(snarkjs.groth16.verify(keys.verificationKey, made.publicSignals, made.proof)).resolves.toBe(
            true,
          );
        }
        // The second job went to snarkjs straight away: the failed binary rests (30 s and more) before it is tried again.
        expect(fake.runs()).toBe(1);
      },
      60_000,
    );

    it("a bad key is the job's error even with fallback: snarkjs is not asked to prove it", async () => {
      const { keys, inputs } = await modelRows('supplier-risk');
      const eta = await modelRows('lane-eta');
      await expect(
        fullProveInChild({ x: inputs[0] as string[] }, keys.wasm, eta.keys.zkey, { binary, fallback: true }),
      ).rejects.toThrow(/witness has \d+ values/);
    }, 60_000);
  });
});
