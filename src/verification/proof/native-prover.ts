// The native Groth16 prover (native/groth16-prover: Rust, arkworks' BN254): built once per machine with cargo and kept
// under <cacheDir>/native/, named by a hash of its sources, the compiler and the CPU, so a changed prover or machine
// builds again and an unchanged one never does. Proofs are snarkjs' proofs on snarkjs' keys (the verifier still checks
// them with snarkjs); the native prover only costs less CPU: on the supplier-risk circuit (841 constraints) 18 ms
// against snarkjs' 89 ms in WebAssembly, one thread each.
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { runInstallCommand } from '../../devstack/install-command';
import { exists } from './powers-of-tau';

export type ProverBackend = 'auto' | 'native' | 'snarkjs';

/** The crate, in the repository (its Cargo.lock pins every dependency; the build runs with --locked). */
export const NATIVE_PROVER_CRATE = path.resolve(__dirname, '../../../native/groth16-prover');
const BINARY = 'proofpath-groth16-prover';

export type NativeProver = { available: true; binary: string } | { available: false; reason: string };

const cargo = () => process.env.CARGO ?? 'cargo';

async function compilerVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(cargo(), ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Sources, lock file, cargo's version and the CPU model: the binary is built for this machine's CPU (target-cpu=native). */
async function buildStamp(compiler: string): Promise<string> {
  const hash = crypto
    .createHash('sha256')
    .update(compiler)
    .update(os.cpus()[0]?.model ?? 'unknown cpu');
  const files = [
    'Cargo.toml',
    'Cargo.lock',
    ...(await fs.readdir(path.join(NATIVE_PROVER_CRATE, 'src'))).map((f) => `src/${f}`),
  ];
  for (const file of files.sort()) hash.update(file).update(await fs.readFile(path.join(NATIVE_PROVER_CRATE, file)));
  return hash.digest('hex').slice(0, 16);
}

export function nativeProverDir(cacheDir: string): string {
  return path.join(cacheDir, 'native');
}

const inFlight = new Map<string, Promise<NativeProver>>();

/**
 * The prover binary for this machine, built first when missing (about a minute on two cores with cargo's registry
 * cached; crates come from crates.io). Never throws: a machine without cargo, or a failed build, gets the reason.
 */
export function ensureNativeProver(cacheDir: string, logger?: Logger): Promise<NativeProver> {
  let pending = inFlight.get(cacheDir);
  if (!pending) {
    pending = locateOrBuild(cacheDir, logger)
      .catch((error: unknown): NativeProver => ({ available: false, reason: (error as Error).message }))
      .finally(() => inFlight.delete(cacheDir));
    inFlight.set(cacheDir, pending);
  }
  return pending;
}

/** The binary when it is already built for these sources, this compiler and this CPU; never builds. */
export async function builtNativeProver(cacheDir: string): Promise<string | undefined> {
  if (!(await exists(path.join(NATIVE_PROVER_CRATE, 'Cargo.toml')))) return undefined;
  const compiler = await compilerVersion();
  if (!compiler) return undefined;
  const binary = path.join(nativeProverDir(cacheDir), `${BINARY}-${await buildStamp(compiler)}`);
  return (await exists(binary)) ? binary : undefined;
}

async function locateOrBuild(cacheDir: string, logger?: Logger): Promise<NativeProver> {
  if (!(await exists(path.join(NATIVE_PROVER_CRATE, 'Cargo.toml'))))
    return {
      available: false,
      reason: `the prover's sources are not in this installation (${NATIVE_PROVER_CRATE}); set PROVER_NATIVE_BINARY to a built prover`,
    };
  const compiler = await compilerVersion();
  if (!compiler) return { available: false, reason: `cargo not found (${cargo()}); install Rust (rustup) to build it` };
  const dir = nativeProverDir(cacheDir);
  const binary = path.join(dir, `${BINARY}-${await buildStamp(compiler)}`);
  if (await exists(binary)) return { available: true, binary };
  const started = Date.now();
  logger?.info({ crate: NATIVE_PROVER_CRATE, compiler }, 'building the native Groth16 prover (once per machine)');
  try {
    // cargo locks its target directory, so two processes building at once wait for each other rather than clash.
    await runInstallCommand({
      command: cargo(),
      args: ['build', '--release', '--locked', '--manifest-path', path.join(NATIVE_PROVER_CRATE, 'Cargo.toml')],
      env: {
        ...process.env,
        CARGO_TARGET_DIR: path.join(dir, 'target'),
        RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} -C target-cpu=native`.trim(),
      },
      logFile: path.join(dir, 'build.log'),
    });
    const staged = `${binary}.${process.pid}.tmp`;
    await fs.copyFile(path.join(dir, 'target', 'release', BINARY), staged);
    await fs.chmod(staged, 0o755);
    await fs.rename(staged, binary);
  } catch (error) {
    const reason = `native prover build failed: ${(error as Error).message}`;
    logger?.warn({ err: error, log: path.join(dir, 'build.log') }, 'native Groth16 prover not built');
    return { available: false, reason };
  }
  logger?.info({ binary, ms: Date.now() - started }, 'native Groth16 prover built');
  return { available: true, binary };
}

export class NativeProverUnavailableError extends Error {
  override readonly name = 'NativeProverUnavailableError';
  readonly code = 'native_prover_unavailable';
}

/** A prover built ahead (PROVER_NATIVE_BINARY): used when it is an executable file, never built. */
async function prebuilt(binary: string): Promise<NativeProver> {
  try {
    await fs.access(binary, fsConstants.X_OK);
    return { available: true, binary };
  } catch {
    return { available: false, reason: `PROVER_NATIVE_BINARY ${binary} is not an executable file` };
  }
}

/**
 * Which binary each proof uses, by backend: `native` finds (or builds) it first and fails when it cannot; `auto` uses
 * it as soon as it is ready (building it in the background when missing) and snarkjs until then, or for good when it
 * cannot be had; `snarkjs` never uses it. A configured binary (PROVER_NATIVE_BINARY) is used instead of building.
 */
export async function nativeProverChoice(
  choice: { backend: ProverBackend; binary?: string },
  cacheDir: string,
  logger?: Logger,
): Promise<() => string | undefined> {
  if (choice.backend === 'snarkjs') return () => undefined;
  const find = () => (choice.binary ? prebuilt(choice.binary) : ensureNativeProver(cacheDir, logger));
  if (choice.backend === 'native') {
    const prover = await find();
    if (!prover.available) throw new NativeProverUnavailableError(`PROVER_BACKEND=native: ${prover.reason}`);
    return () => prover.binary;
  }
  let binary: string | undefined;
  void find().then((prover) => {
    if (prover.available) binary = prover.binary;
    else logger?.warn({ reason: prover.reason }, 'proving with snarkjs: the native prover is not available');
  });
  return () => binary;
}
