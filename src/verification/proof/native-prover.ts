// The native Groth16 prover (native/groth16-prover: Rust, arkworks' BN254): built once per machine with cargo by
// `stack up` and kept under <cacheDir>/native/, named by a stamp of its sources, the compiler, the Rust flags and the
// CPU (model and feature flags), so a changed prover, compiler or machine builds again and an unchanged one never does.
// A build leaves a record (built-<sources and CPU>.json) naming the binary and its stamp, which is how a node finds it
// at start without cargo on its PATH; the binary must answer `--version` with that stamp before it is used. Proofs
// are snarkjs' proofs on snarkjs' keys (the verifier still checks them with snarkjs); the native prover only costs
// less CPU: 20 / 32 / 35 ms per one-row proof against snarkjs' 83 / 136 / 129 ms (supplier-risk, lane-eta,
// demand-forecast; prover process CPU, one thread each, bench run of 2026-12-04 03:14).
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { runInstallCommand } from '../../devstack/install-command';
import { exists } from './powers-of-tau';

export type ProverBackend = 'auto' | 'native' | 'snarkjs';

/** The crate, in the repository (its Cargo.lock pins every dependency; the build runs with --locked). */
export const NATIVE_PROVER_CRATE = path.resolve(__dirname, '../../../native/groth16-prover');
const BINARY = 'proofpath-groth16-prover';
const RUSTFLAGS = () => `${process.env.RUSTFLAGS ?? ''} -C target-cpu=native`.trim();

export type NativeProver = { available: true; binary: string } | { available: false; reason: string };

/** How a node uses the native prover for a proof: `fallback` (PROVER_BACKEND=auto) proves with snarkjs when the
 *  native process fails (crashes, hangs, answers out of protocol) rather than failing the proof. */
export type NativeUse = { binary: string; fallback: boolean };

const cargo = () => process.env.CARGO ?? 'cargo';
const run = promisify(execFile);

async function compilerVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run(cargo(), ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function sourceFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !(prefix === '' && entry.name === 'target'))
      .map((entry) =>
        entry.isDirectory() ? sourceFiles(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
      ),
  );
  return nested.flat();
}

/** Every file of the crate (manifest, lock file, sources, a build script if one is added), build output excluded. */
async function sourcesHash(): Promise<string> {
  const hash = crypto.createHash('sha256');
  for (const file of (await sourceFiles(NATIVE_PROVER_CRATE)).sort())
    hash.update(file).update(await fs.readFile(path.join(NATIVE_PROVER_CRATE, file)));
  return hash.digest('hex');
}

/** The CPU the binary is built for (target-cpu=native): its model and, on Linux, its feature flags. */
async function cpuSignature(): Promise<string> {
  const flags = await fs
    .readFile('/proc/cpuinfo', 'utf8')
    .then((info) => /^flags\s*:(.*)$/m.exec(info)?.[1]?.trim() ?? '')
    .catch(() => '');
  return `${os.arch()} ${os.cpus()[0]?.model ?? 'unknown cpu'} ${flags}`;
}

/** What else changes the code cargo makes: the compiler and the flags it is given. */
const compilerEnvironment = () =>
  ['RUSTC', 'RUSTC_WRAPPER', 'CARGO_ENCODED_RUSTFLAGS'].map((name) => `${name}=${process.env[name] ?? ''}`).join(' ') +
  ` RUSTFLAGS=${RUSTFLAGS()}`;

const digest = (...parts: string[]) =>
  parts
    .reduce((hash, part) => hash.update(part).update('\0'), crypto.createHash('sha256'))
    .digest('hex')
    .slice(0, 16);

export function nativeProverDir(cacheDir: string): string {
  return path.join(cacheDir, 'native');
}

/** What a prover binary says it is (`--version`): our name and its build stamp; undefined when it is not ours. */
async function identify(binary: string): Promise<{ stamp: string } | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
    const [name, stamp] = stdout.trim().split(' ');
    return name === BINARY && stamp ? { stamp } : undefined;
  } catch {
    return undefined;
  }
}

const NO_SOURCES = (crate: string) =>
  `the prover's sources are not in this installation (${crate}); set PROVER_NATIVE_BINARY to a built prover`;

const sourcesPresent = () => exists(path.join(NATIVE_PROVER_CRATE, 'Cargo.toml'));

/** What a build depends on besides the compiler: the crate's files and the CPU, each hashed once per lookup. */
async function buildInputs(): Promise<{ sources: string; cpu: string }> {
  return { sources: await sourcesHash(), cpu: await cpuSignature() };
}

/** The build record's file for these sources on this CPU: written by a build, read by nodes (no cargo needed). */
function recordFile(cacheDir: string, inputs: { sources: string; cpu: string }): string {
  return path.join(nativeProverDir(cacheDir), `built-${digest(inputs.sources, inputs.cpu)}.json`);
}

type BuildRecord = { binary: string; stamp: string };

/** The binary a build for these sources, this compiler, these flags and this CPU makes, with its stamp and record. */
async function expectedBinary(cacheDir: string): Promise<(BuildRecord & { record: string }) | { reason: string }> {
  if (!(await sourcesPresent())) return { reason: NO_SOURCES(NATIVE_PROVER_CRATE) };
  const compiler = await compilerVersion();
  if (!compiler) return { reason: `cargo not found (${cargo()}); install Rust (rustup) to build it` };
  const inputs = await buildInputs();
  const stamp = digest(inputs.sources, inputs.cpu, compiler, compilerEnvironment());
  return {
    binary: path.join(nativeProverDir(cacheDir), `${BINARY}-${stamp}`),
    stamp,
    record: recordFile(cacheDir, inputs),
  };
}

/**
 * The binary built for these sources on this CPU, or why there is none; never builds and needs no cargo: it reads the
 * build record and runs the binary (`--version`), which must answer with the recorded stamp.
 */
async function built(cacheDir: string): Promise<NativeProver> {
  try {
    if (!(await sourcesPresent())) return { available: false, reason: NO_SOURCES(NATIVE_PROVER_CRATE) };
    const file = recordFile(cacheDir, await buildInputs());
    const record = (await exists(file))
      ? (JSON.parse(await fs.readFile(file, 'utf8')) as Partial<BuildRecord>)
      : undefined;
    if (!record?.binary || !record.stamp)
      return {
        available: false,
        reason: 'not built for these sources and this CPU (`npm run stack -- up` builds it)',
      };
    const said = await identify(record.binary);
    if (said?.stamp !== record.stamp)
      return {
        available: false,
        reason: `${record.binary} does not answer --version as the recorded build ${record.stamp} (\`npm run stack -- up\` builds it again)`,
      };
    // A use, as a `stack up` is: the record's age is what pruning reads (pruneOldBuilds).
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined);
    return { available: true, binary: record.binary };
  } catch (error) {
    return { available: false, reason: `native prover lookup failed: ${(error as Error).message}` };
  }
}

/** The binary when it is already built for these sources, this compiler and this CPU; never builds. */
export async function builtNativeProver(cacheDir: string): Promise<string | undefined> {
  const found = await built(cacheDir);
  return found.available ? found.binary : undefined;
}

const inFlight = new Map<string, Promise<NativeProver>>();

/**
 * A failed build of these exact inputs (sources, compiler, flags, CPU) is not tried again on every `stack up` for an
 * hour: a build that fails (a compiler too old, crates.io out of reach) costs minutes each time and fails the same way.
 * Any change to the inputs is a new stamp, tried at once.
 */
export const BUILD_RETRY_AFTER_MS = 3_600_000;

const failureFile = (cacheDir: string, stamp: string) =>
  path.join(nativeProverDir(cacheDir), `build-failed-${stamp}.json`);

async function lastFailure(file: string): Promise<{ at: number; reason: string } | undefined> {
  try {
    const record = JSON.parse(await fs.readFile(file, 'utf8')) as { at?: unknown; reason?: unknown };
    return typeof record.at === 'number' && typeof record.reason === 'string'
      ? { at: record.at, reason: record.reason }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The prover binary for this machine, built first when missing (about a minute on two cores; crates come from
 * crates.io). `stack up` calls it; nodes do not build (a node with PROVER_BACKEND=native and no binary refuses to
 * start). Never throws: a machine without cargo, or a failed build, gets the reason.
 */
export function ensureNativeProver(cacheDir: string, logger?: Logger, signal?: AbortSignal): Promise<NativeProver> {
  let pending = inFlight.get(cacheDir);
  if (!pending) {
    pending = locateOrBuild(cacheDir, logger, signal)
      .catch((error: unknown): NativeProver => ({ available: false, reason: (error as Error).message }))
      .finally(() => inFlight.delete(cacheDir));
    inFlight.set(cacheDir, pending);
  }
  return pending;
}

async function locateOrBuild(cacheDir: string, logger?: Logger, signal?: AbortSignal): Promise<NativeProver> {
  const expected = await expectedBinary(cacheDir);
  if ('reason' in expected) return { available: false, reason: expected.reason };
  const { binary, stamp, record } = expected;
  const keep = async (): Promise<NativeProver> => {
    await writeFileAtomic(record, JSON.stringify({ binary, stamp } satisfies BuildRecord));
    await pruneOldBuilds(cacheDir, binary, logger);
    return { available: true, binary };
  };
  if ((await identify(binary))?.stamp === stamp) return keep();
  const dir = nativeProverDir(cacheDir);
  const failed = failureFile(cacheDir, stamp);
  const earlier = await lastFailure(failed);
  if (earlier && Date.now() - earlier.at < BUILD_RETRY_AFTER_MS)
    return {
      available: false,
      reason:
        `native prover build failed at ${new Date(earlier.at).toISOString()} (${earlier.reason}; log ${path.join(dir, 'build.log')}); ` +
        `tried again from ${new Date(earlier.at + BUILD_RETRY_AFTER_MS).toISOString()}, or at once after removing ${failed}`,
    };
  const started = Date.now();
  logger?.info({ crate: NATIVE_PROVER_CRATE }, 'building the native Groth16 prover (once per machine)');
  try {
    // cargo locks its target directory, so two processes building at once wait for each other rather than clash; the
    // stamp is compiled in and read back before the binary is kept, so a build of other sources (another checkout
    // sharing this cache) that finished in between is never kept under this stamp.
    await runInstallCommand({
      command: cargo(),
      args: ['build', '--release', '--locked', '--manifest-path', path.join(NATIVE_PROVER_CRATE, 'Cargo.toml')],
      env: {
        ...process.env,
        CARGO_TARGET_DIR: path.join(dir, 'target'),
        RUSTFLAGS: RUSTFLAGS(),
        PROOFPATH_PROVER_STAMP: stamp,
      },
      logFile: path.join(dir, 'build.log'),
      signal,
    });
    const staged = `${binary}.${process.pid}.tmp`;
    await fs.copyFile(path.join(dir, 'target', 'release', BINARY), staged);
    await fs.chmod(staged, 0o755);
    const built = await identify(staged);
    if (built?.stamp !== stamp) {
      await fs.rm(staged, { force: true });
      throw new Error(`the built binary is stamped ${built?.stamp ?? 'unknown'}, not ${stamp}: built again meanwhile`);
    }
    await fs.rename(staged, binary);
  } catch (error) {
    const reason = `native prover build failed: ${(error as Error).message}`;
    logger?.warn({ err: error, log: path.join(dir, 'build.log') }, 'native Groth16 prover not built');
    // Not when the build was stopped (a cancelled `stack up`): that says nothing about the sources.
    if (!signal?.aborted)
      await writeFileAtomic(failed, JSON.stringify({ at: Date.now(), reason: (error as Error).message })).catch(
        () => undefined,
      );
    return { available: false, reason };
  }
  await fs.rm(failed, { force: true });
  logger?.info({ binary, ms: Date.now() - started }, 'native Groth16 prover built');
  return keep();
}

/** A build no `stack up` has kept for this long is removed, binary and record (building it again takes a minute). */
export const UNUSED_BUILD_MAX_AGE_MS = 30 * 86_400_000;
/** Binaries no record names, staged copies and failure records are removed once this old. */
const LEFTOVER_MAX_AGE_MS = 86_400_000;

/**
 * What earlier builds left in <cacheDir>/native: every changed source, compiler, flag or CPU makes a new binary and
 * record, and nothing else removes them. `keep()` rewrites a record at every `stack up` that finds its binary, and a
 * node or verifier that finds it at start touches it, so a record's age is how long nothing used it; the cargo target
 * directory is kept (it makes rebuilds fast). Not locked against another checkout sharing the cache: one whose
 * `stack up` rewrites a 30-day-old record at the very moment this removes it finds its binary gone at its next start,
 * and its next `stack up` builds it again.
 * Removes records older than UNUSED_BUILD_MAX_AGE_MS, then binaries no remaining record names, staged `.tmp` copies
 * and `build-failed-*` records once a day old (the day's margin covers another checkout between renaming its binary
 * into place and writing its record). Never the binary just kept; never throws (a failed removal is logged).
 */
export async function pruneOldBuilds(cacheDir: string, kept: string, logger?: Logger, now = Date.now()): Promise<void> {
  const dir = nativeProverDir(cacheDir);
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(dir, entry.name));
    // A file gone meanwhile (another checkout pruning too) counts as new: left alone.
    const ageOf = (file: string) =>
      fs.stat(file).then(
        (stat) => now - stat.mtimeMs,
        () => 0,
      );
    const remove = (file: string) =>
      fs.rm(file, { force: true }).then(
        () => logger?.info({ file }, 'removed an old native prover build'),
        (error: unknown) => logger?.warn({ err: error, file }, 'could not remove an old native prover build'),
      );
    // By file name: every binary a record names is in this directory (records name it by its full path).
    const named = new Set([path.basename(kept)]);
    for (const file of files.filter((f) => /^built-[0-9a-f]+\.json$/.test(path.basename(f)))) {
      if ((await ageOf(file)) > UNUSED_BUILD_MAX_AGE_MS) {
        await remove(file);
        continue;
      }
      const record = await fs
        .readFile(file, 'utf8')
        .then((text) => JSON.parse(text) as Partial<BuildRecord>)
        .catch(() => undefined);
      if (typeof record?.binary === 'string') named.add(path.basename(record.binary));
    }
    const leftover = (name: string) => {
      if (name.endsWith('.tmp')) return name.startsWith(`${BINARY}-`);
      if (name.startsWith(`${BINARY}-`)) return !named.has(name);
      return /^build-failed-[0-9a-f]+\.json$/.test(name);
    };
    for (const file of files.filter((f) => leftover(path.basename(f))))
      if ((await ageOf(file)) > LEFTOVER_MAX_AGE_MS) await remove(file);
  } catch (error) {
    logger?.warn({ err: error, dir }, 'could not prune old native prover builds');
  }
}

export class NativeProverUnavailableError extends Error {
  override readonly name = 'NativeProverUnavailableError';
  readonly code = 'native_prover_unavailable';
}

/** A prover built ahead (PROVER_NATIVE_BINARY): used when it runs and says it is ours, never built. */
async function prebuilt(binary: string): Promise<NativeProver> {
  return (await identify(binary))
    ? { available: true, binary }
    : { available: false, reason: `PROVER_NATIVE_BINARY ${binary} does not run as ${BINARY} (--version)` };
}

/** The setting each user of the binary is configured by, for the messages. */
const SETTINGS = {
  prover: { name: 'PROVER_BACKEND', work: 'proving' },
  verifier: { name: 'VERIFY_PROOF_BACKEND', work: 'verifying' },
} as const;

/**
 * Whether a node's prover (`role` prover, PROVER_BACKEND) or a verifier (`role` verifier, VERIFY_PROOF_BACKEND) uses
 * the native Groth16 binary, by backend; decided once, at start, and never by building (`stack up` builds; a serving
 * process does not compile at normal priority beside its work). `native`: the configured or built binary, else the
 * process does not start. `auto`: the same when there is one, with a fallback to snarkjs should the native process
 * fail; snarkjs when there is none (logged with the reason). `snarkjs`: never native. (`fallback` is the prover's: the
 * verifier hands every check the binary could not make to snarkjs, whatever the setting.)
 */
export async function nativeGroth16Choice(
  role: keyof typeof SETTINGS,
  choice: { backend: ProverBackend; binary?: string },
  cacheDir: string,
  logger?: Logger,
): Promise<NativeUse | undefined> {
  if (choice.backend === 'snarkjs') return undefined;
  const setting = SETTINGS[role];
  const found = choice.binary ? await prebuilt(choice.binary) : await built(cacheDir);
  if (found.available) return { binary: found.binary, fallback: choice.backend === 'auto' };
  if (choice.backend === 'native') throw new NativeProverUnavailableError(`${setting.name}=native: ${found.reason}`);
  logger?.warn({ reason: found.reason }, `${setting.work} with snarkjs: the native Groth16 binary is not available`);
  return undefined;
}
