// The native Groth16 verifier (the Rust binary the stack's provisioning builds): it accepts exactly what snarkjs accepts
// on real proofs of every built-in model and refuses what snarkjs refuses (another row's signals, a changed output, a
// signal at or above the field's modulus, points off the curve, a swapped proof); a binary that lies or fails is caught
// and snarkjs answers instead. The crate's own Rust unit tests (canonical decimals, G2 subgroup) run here too.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Groth16Proof, VerificationKey } from 'snarkjs';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../../../src/models';
import {
  builtNativeProver,
  createNativeGroth16Verifier,
  modelBytesFromRegistry,
  nativeProverDir,
  snarkjsGroth16Verify,
  type NativeGroth16Verifier,
} from '../../../src/verification';
import { releaseProvingResources } from '../../../src/verification/proof/prover';
import { fullProveInChild } from '../../../src/verification/proof/prover-process';
import { ensureProvingKeys } from '../../../src/verification/proof/proving-keys';
import { quantizeInput, toField } from '../../../src/verification/proof/quantize';
import { NATIVE_PROVER_CRATE } from '../../../src/verification/proof/native-prover';
import { testConfig } from '../../support/test-config';

/** BN254's scalar field modulus r (public signals must be below it). */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254's base field modulus p (point coordinates must be below it). */
const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

let binary: string;
const verifiers: NativeGroth16Verifier[] = [];
const nativeVerifier = (
  bin = binary,
  logger?: Parameters<typeof createNativeGroth16Verifier>[1],
  fallback?: Parameters<typeof createNativeGroth16Verifier>[2],
) => {
  const verifier = createNativeGroth16Verifier(bin, logger, fallback);
  verifiers.push(verifier);
  return verifier;
};

beforeAll(async () => {
  const built = await builtNativeProver(testConfig().cacheDir);
  if (!built) throw new Error("the stack's provisioning should have built the native binary");
  binary = built;
}, 60_000);
afterAll(async () => {
  for (const verifier of verifiers) verifier.close();
  await releaseProvingResources();
});

type Proved = { key: VerificationKey; proof: Groth16Proof; publicSignals: string[] };

async function provedRows(name: string, count = 2): Promise<Proved[]> {
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new Error(`no model ${name}`);
  const keys = await ensureProvingKeys(entry.id, testConfig().cacheDir, modelBytesFromRegistry());
  const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, name, 'holdout.json'), 'utf8')) as {
    sets: Array<{ rows: number[][] }>;
  };
  const rows = (holdout.sets[0]?.rows ?? []).slice(0, count);
  const proved: Proved[] = [];
  for (const row of rows) {
    const x = quantizeInput(row).map((v) => toField(v).toString());
    const { proof, publicSignals } = await fullProveInChild({ x }, keys.wasm, keys.zkey);
    proved.push({ key: keys.verificationKey, proof, publicSignals });
  }
  return proved;
}

/** Both verifiers' answers for one case. */
async function both(verifier: NativeGroth16Verifier, { key, proof, publicSignals }: Proved) {
  return {
    native: await verifier.verify(key, publicSignals, proof),
    snarkjs: await snarkjsGroth16Verify(key, publicSignals, proof),
  };
}

describe('native Groth16 verifier', () => {
  it.each(['supplier-risk', 'lane-eta', 'demand-forecast'])(
    '%s: accepts real proofs and refuses them for another row, as snarkjs does',
    async (name) => {
      // snarkjs beside the binary only for the key's first proof: every later answer is the binary's own.
      const beside = jest.fn(snarkjsGroth16Verify);
      const logged = jest.fn();
      const verifier = nativeVerifier(binary, { error: logged, warn: logged } as never, beside);
      const [first, second] = await provedRows(name);
      if (!first || !second) throw new Error('two proofs expected');
      await expect(both(verifier, first)).resolves.toEqual({ native: true, snarkjs: true });
      await expect(both(verifier, second)).resolves.toEqual({ native: true, snarkjs: true });
      const swapped = { ...first, publicSignals: second.publicSignals };
      await expect(both(verifier, swapped)).resolves.toEqual({ native: false, snarkjs: false });
      expect(beside).toHaveBeenCalledTimes(1);
      expect(logged).not.toHaveBeenCalled();
      expect(verifier.processId()).toEqual(expect.any(Number));
    },
    180_000,
  );

  it('refuses a changed output, a signal at or above r, a point off the curve or above p, and a swapped A/C', async () => {
    const beside = jest.fn(snarkjsGroth16Verify);
    const verifier = nativeVerifier(binary, undefined, beside);
    const [proved] = await provedRows('supplier-risk', 1);
    if (!proved) throw new Error('a proof expected');
    await expect(both(verifier, proved)).resolves.toEqual({ native: true, snarkjs: true });
    const signals = proved.publicSignals;
    const withSignal = (value: bigint): Proved => ({
      ...proved,
      publicSignals: [value.toString(), ...signals.slice(1)],
    });
    const first = BigInt(signals[0] as string);
    await expect(both(verifier, withSignal(first + 1n))).resolves.toEqual({ native: false, snarkjs: false });
    // The same value plus r: snarkjs refuses it as not a field element; so must the native check (no reduction).
    await expect(both(verifier, withSignal(first + R))).resolves.toEqual({ native: false, snarkjs: false });
    const [ax, ay] = proved.proof.pi_a as string[];
    const withA = (x: bigint, y: bigint): Proved => ({
      ...proved,
      proof: { ...proved.proof, pi_a: [x.toString(), y.toString(), '1'] },
    });
    await expect(verifier.verify(proved.key, signals, withA(BigInt(ax!), BigInt(ay!) + 1n).proof)).resolves.toBe(false);
    // The same point with y + p: congruent, but not a canonical coordinate.
    await expect(verifier.verify(proved.key, signals, withA(BigInt(ax!), BigInt(ay!) + P).proof)).resolves.toBe(false);
    const swapped = { ...proved.proof, pi_a: proved.proof.pi_c, pi_c: proved.proof.pi_a };
    await expect(verifier.verify(proved.key, signals, swapped)).resolves.toBe(false);
    // The negated A (y → p − y) is on the curve: a well-formed proof that does not verify.
    await expect(verifier.verify(proved.key, signals, withA(BigInt(ax!), P - BigInt(ay!)).proof)).resolves.toBe(false);
    expect(beside).toHaveBeenCalledTimes(1); // the key's first proof only: the refusals above are the binary's
  }, 120_000);

  describe('a binary that cannot be trusted or fails', () => {
    function standIn(body: string): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lying-verifier-'));
      const file = path.join(dir, 'verifier');
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    }
    /** Answers every job `verified: true` (ids read from the job line). */
    const ALWAYS_TRUE = `while read job; do id=$(echo "$job" | sed 's/^{"id":\\([0-9]*\\).*/\\1/'); echo "{\\"id\\":$id,\\"verified\\":true}"; done`;

    it('is caught on the first proof of a key when it says "verified" to everything; snarkjs answers from then on', async () => {
      const errors: string[] = [];
      const logger = { error: (_: unknown, msg: string) => errors.push(msg), warn: () => undefined };
      const verifier = nativeVerifier(standIn(ALWAYS_TRUE), logger as never);
      const [proved] = await provedRows('supplier-risk', 1);
      if (!proved) throw new Error('a proof expected');
      const forged = [(BigInt(proved.publicSignals[0] as string) + 1n).toString(), ...proved.publicSignals.slice(1)];
      await expect(verifier.verify(proved.key, proved.publicSignals, proved.proof)).resolves.toBe(true);
      await expect(verifier.verify(proved.key, forged, proved.proof)).resolves.toBe(false);
      expect(errors).toEqual([expect.stringMatching(/accepted what it must refuse/)]);
    }, 120_000);

    it('is caught when the first proof of a key is a forgery it accepts', async () => {
      const verifier = nativeVerifier(standIn(ALWAYS_TRUE), { error: () => undefined, warn: () => undefined } as never);
      const [proved] = await provedRows('supplier-risk', 1);
      if (!proved) throw new Error('a proof expected');
      const forged = [(BigInt(proved.publicSignals[0] as string) + 1n).toString(), ...proved.publicSignals.slice(1)];
      await expect(verifier.verify(proved.key, forged, proved.proof)).resolves.toBe(false);
    }, 120_000);

    it('refuses a proof when it refuses what snarkjs accepts, and stays in use (the stricter answer wins)', async () => {
      const errors: string[] = [];
      const logger = { error: (_: unknown, msg: string) => errors.push(msg), warn: () => undefined };
      const ALWAYS_FALSE = `while read job; do id=$(echo "$job" | sed 's/^{"id":\\([0-9]*\\).*/\\1/'); echo "{\\"id\\":$id,\\"verified\\":false}"; done`;
      const verifier = nativeVerifier(standIn(ALWAYS_FALSE), logger as never);
      const [proved] = await provedRows('supplier-risk', 1);
      if (!proved) throw new Error('a proof expected');
      await expect(verifier.verify(proved.key, proved.publicSignals, proved.proof)).resolves.toBe(false);
      expect(errors).toEqual([expect.stringMatching(/refused a proof snarkjs accepts/)]);
      expect(verifier.processId()).toEqual(expect.any(Number));
    }, 120_000);

    it('answers checks in flight when it is closed (snarkjs takes them), instead of leaving them pending', async () => {
      const verifier = nativeVerifier(standIn('exec sleep 600'), {
        error: () => undefined,
        warn: () => undefined,
      } as never);
      const [proved] = await provedRows('supplier-risk', 1);
      if (!proved) throw new Error('a proof expected');
      const pending = verifier.verify(proved.key, proved.publicSignals, proved.proof);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closedAt = Date.now();
      verifier.close();
      await expect(pending).resolves.toBe(true);
      expect(Date.now() - closedAt).toBeLessThan(10_000); // not the 30 s timeout
    }, 120_000);

    it.each([
      ['exits at once', 'exit 3', 'native_verifier_unavailable'],
      ['answers garbage', 'read job; echo garbage; exec sleep 30', 'native_verifier_unavailable'],
      [
        'answers an error',
        `while read job; do id=$(echo "$job" | sed 's/^{"id":\\([0-9]*\\).*/\\1/'); echo "{\\"id\\":$id,\\"error\\":\\"no\\"}"; done`,
        'native_verifier_refused_input',
      ],
    ])(
      '%s: snarkjs checks the proof instead, with the same answers, and the failure is logged with its code',
      async (_name, body, code) => {
        const codes: unknown[] = [];
        const warn = (fields: { err?: { code?: unknown } }) => codes.push(fields.err?.code);
        const verifier = nativeVerifier(standIn(body), { error: () => undefined, warn } as never);
        const [proved] = await provedRows('supplier-risk', 1);
        if (!proved) throw new Error('a proof expected');
        const forged = [(BigInt(proved.publicSignals[0] as string) + 1n).toString(), ...proved.publicSignals.slice(1)];
        await expect(verifier.verify(proved.key, proved.publicSignals, proved.proof)).resolves.toBe(true);
        await expect(verifier.verify(proved.key, forged, proved.proof)).resolves.toBe(false);
        expect(codes[0]).toBe(code);
      },
      120_000,
    );
  });

  it("passes the crate's own unit tests (canonical decimals, points off the curve, G2 outside the subgroup, the H MSM)", async () => {
    // In the stack's build directory, so only the crate itself compiles again (its dependencies are built there).
    const { stdout } = await promisify(execFile)(
      process.env.CARGO ?? 'cargo',
      ['test', '--release', '--locked', '--manifest-path', path.join(NATIVE_PROVER_CRATE, 'Cargo.toml')],
      {
        env: {
          ...process.env,
          CARGO_TARGET_DIR: path.join(nativeProverDir(testConfig().cacheDir), 'target'),
          RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} -C target-cpu=native`.trim(),
        },
        timeout: 600_000,
      },
    );
    expect(stdout).toMatch(/test verify::tests::g2_refuses_a_twist_point_outside_the_subgroup \.\.\. ok/);
    expect(stdout).toMatch(/test fixed_base::tests::agrees_with_arkworks_msm_on_random_and_edge_scalars \.\.\. ok/);
    expect(stdout).toMatch(/test result: ok\. \d+ passed; 0 failed/);
  }, 600_000);
});
