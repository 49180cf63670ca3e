// Which prover a node uses when there is no native one: `native` refuses (the node does not start), `auto` proves with
// snarkjs and says why, `snarkjs` never looks; a configured binary is used only when it says it is our prover.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureNativeProver,
  nativeGroth16Choice,
  NativeProverUnavailableError,
} from '../../../src/verification/proof/native-prover';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-prover-choice-'));
const saved = process.env.CARGO;
beforeEach(() => {
  process.env.CARGO = path.join(cacheDir, 'no-such-cargo');
});
afterAll(() => {
  if (saved === undefined) delete process.env.CARGO;
  else process.env.CARGO = saved;
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** A script standing in for a prover binary, printing `version` for --version. */
function fakeBinary(name: string, version: string): string {
  const file = path.join(cacheDir, name);
  fs.writeFileSync(file, `#!/bin/sh\necho "${version}"\n`, { mode: 0o755 });
  return file;
}

describe('native prover choice', () => {
  it('without cargo: the native prover is unavailable with the reason, never an exception', async () => {
    await expect(ensureNativeProver(cacheDir)).resolves.toEqual({
      available: false,
      reason: expect.stringMatching(/cargo not found/),
    });
  });

  it('native without a prover: refuses with NativeProverUnavailableError, naming PROVER_BACKEND', async () => {
    const refusal = nativeGroth16Choice('prover', { backend: 'native' }, cacheDir);
    await expect(refusal).rejects.toBeInstanceOf(NativeProverUnavailableError);
    await expect(refusal).rejects.toThrow(/^PROVER_BACKEND=native: /);
  });

  it("names the verifier's setting when the verifier asks (VERIFY_PROOF_BACKEND uses the same binary)", async () => {
    await expect(nativeGroth16Choice('verifier', { backend: 'native' }, cacheDir)).rejects.toThrow(
      /^VERIFY_PROOF_BACKEND=native: /,
    );
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, msg: string) => warnings.push(msg), info: () => undefined } as never;
    await expect(nativeGroth16Choice('verifier', { backend: 'auto' }, cacheDir, logger)).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^verifying with snarkjs/)]);
  });

  it('does not build again within the hour after a build of the same inputs failed; removing the record retries', async () => {
    const buildDir = fs.mkdtempSync(path.join(cacheDir, 'failing-'));
    const builds = path.join(buildDir, 'builds');
    const failingCargo = path.join(buildDir, 'failing-cargo');
    fs.writeFileSync(
      failingCargo,
      [
        '#!/bin/sh',
        'if [ "$1" = "--version" ]; then echo "cargo 0.0.0-fake"; exit 0; fi',
        `echo build >> '${builds}'`,
        'echo "error: could not reach crates.io" >&2',
        'exit 101',
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    process.env.CARGO = failingCargo;
    const buildCount = () => fs.readFileSync(builds, 'utf8').split('\n').filter(Boolean).length;
    await expect(ensureNativeProver(buildDir)).resolves.toEqual({
      available: false,
      reason: expect.stringMatching(/^native prover build failed/),
    });
    expect(buildCount()).toBe(1);
    await expect(ensureNativeProver(buildDir)).resolves.toEqual({
      available: false,
      reason: expect.stringMatching(
        /build failed at .* tried again from .* or at once after removing .*build-failed-/s,
      ),
    });
    expect(buildCount()).toBe(1);
    const [record] = fs.readdirSync(path.join(buildDir, 'native')).filter((f) => f.startsWith('build-failed-'));
    fs.rmSync(path.join(buildDir, 'native', record as string));
    await ensureNativeProver(buildDir);
    expect(buildCount()).toBe(2);
  });

  it('auto without a prover: snarkjs, and the log says why', async () => {
    const warnings: unknown[] = [];
    const logger = {
      warn: (o: unknown, msg: string) => warnings.push({ ...(o as object), msg }),
      info: () => undefined,
    } as never;
    await expect(nativeGroth16Choice('prover', { backend: 'auto' }, cacheDir, logger)).resolves.toBeUndefined();
    expect(warnings).toEqual([
      {
        reason: expect.stringMatching(/not built for these sources and this CPU/),
        msg: expect.stringMatching(/^proving with snarkjs/),
      },
    ]);
  });

  it('uses a configured binary that says it is our prover (no cargo needed): auto with fallback, native without', async () => {
    const binary = fakeBinary('ours', 'proofpath-groth16-prover 0123456789abcdef');
    await expect(nativeGroth16Choice('prover', { backend: 'auto', binary }, cacheDir)).resolves.toEqual({
      binary,
      fallback: true,
    });
    await expect(nativeGroth16Choice('prover', { backend: 'native', binary }, cacheDir)).resolves.toEqual({
      binary,
      fallback: false,
    });
  });

  it('refuses a configured binary that is not our prover, or not executable', async () => {
    const other = fakeBinary('other', 'node v20');
    await expect(nativeGroth16Choice('prover', { backend: 'native', binary: other }, cacheDir)).rejects.toThrow(
      /does not run as proofpath-groth16-prover/,
    );
    const notExecutable = path.join(cacheDir, 'prover.txt');
    fs.writeFileSync(notExecutable, 'x', { mode: 0o644 });
    await expect(nativeGroth16Choice('prover', { backend: 'native', binary: notExecutable }, cacheDir)).rejects.toThrow(
      /does not run as/,
    );
  });

  it('a build leaves a record by which a node finds the prover without cargo; a binary that answers another stamp is refused', async () => {
    // A stand-in cargo: `--version`, and a "build" that writes a prover answering --version with the stamp it was given.
    const fakeCargo = path.join(cacheDir, 'fake-cargo');
    fs.writeFileSync(
      fakeCargo,
      [
        '#!/bin/sh',
        'if [ "$1" = "--version" ]; then echo "cargo 0.0.0-fake"; exit 0; fi',
        'mkdir -p "$CARGO_TARGET_DIR/release"',
        'out="$CARGO_TARGET_DIR/release/proofpath-groth16-prover"',
        'printf \'#!/bin/sh\\necho "proofpath-groth16-prover %s"\\n\' "$PROOFPATH_PROVER_STAMP" > "$out"',
        'chmod 755 "$out"',
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    const buildDir = fs.mkdtempSync(path.join(cacheDir, 'build-'));
    process.env.CARGO = fakeCargo;
    const made = await ensureNativeProver(buildDir);
    if (!made.available) throw new Error(made.reason);
    // The node's lookup: cargo gone from the PATH, the record and the binary's --version suffice.
    process.env.CARGO = path.join(cacheDir, 'no-such-cargo');
    const [record] = fs.readdirSync(path.join(buildDir, 'native')).filter((f) => /^built-.*\.json$/.test(f));
    const recordFile = path.join(buildDir, 'native', record as string);
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    fs.utimesSync(recordFile, longAgo, longAgo);
    await expect(nativeGroth16Choice('prover', { backend: 'native' }, buildDir)).resolves.toEqual({
      binary: made.binary,
      fallback: false,
    });
    // Finding it is a use: the record is touched, so pruning counts from now.
    expect(Date.now() - fs.statSync(recordFile).mtimeMs).toBeLessThan(60_000);
    // A binary replaced by one of another build (or another CPU's) is not used.
    fs.writeFileSync(made.binary, '#!/bin/sh\necho "proofpath-groth16-prover 0000000000000000"\n', { mode: 0o755 });
    await expect(nativeGroth16Choice('prover', { backend: 'native' }, buildDir)).rejects.toThrow(
      /does not answer --version as the recorded build/,
    );
  });

  it('snarkjs: never native, even with a binary configured', async () => {
    const binary = fakeBinary('ours-too', 'proofpath-groth16-prover 0123456789abcdef');
    await expect(nativeGroth16Choice('prover', { backend: 'snarkjs', binary }, cacheDir)).resolves.toBeUndefined();
  });
});
