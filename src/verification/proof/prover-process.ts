// Groth16 proving in a child process. snarkjs' fullProve runs the circom witness generator (WASM) and the proof's
// orchestration on the calling thread (only its multi-exponentiations go to ffjavascript's worker pool): measured on a
// 3-row supplier-risk proof, the caller's event loop stalled up to 140 ms at a time. On the inference node that loop
// also answers paid requests, so proofs are made here and the node's loop only sends the job and reads the result.
// A child process rather than a worker thread: ffjavascript's `web-worker` dependency takes any non-main thread for
// one of its own workers and fails to load in a plain worker_threads Worker. The child runs at the lowest CPU priority
// (nice 19): off the loop is not enough on a busy machine, where proving (about 0.2 s of CPU per row) took the cores
// the fast path needed; at nice 19 proofs use the CPU the answers leave, and verdicts wait instead of decisions.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Groth16Proof } from 'snarkjs';
import type { NativeUse } from './native-prover';

export type ProcessProof = { proof: Groth16Proof; publicSignals: string[] };

/** The prover process's default CPU priority (PROVER_NICE): the lowest on Linux and macOS. */
export const PROVER_NICE = 19;

/** The longest one native proof may take (about 30 ms of CPU; at nice 19 it can wait long for that CPU on a busy machine). */
export const NATIVE_PROOF_TIMEOUT_MS = 120_000;

/** Circuits whose witness generator and proving key the prover process keeps loaded (least recently used dropped). */
export const PROVER_CIRCUIT_CACHE = 16;

/** The child's whole program: plain CommonJS (no TypeScript loader); snarkjs and its two runtime libraries resolved by
 *  the parent. snarkjs' fullProve compiles the circuit's witness generator (WebAssembly) and reads the proving key from
 *  disk on every call: on these small circuits that was 60 of the 220 ms of CPU a proof cost (supplier-risk, 841
 *  constraints). The child keeps both per circuit, keyed by file, size and mtime (a rebuilt key is read again), and
 *  runs the same two steps fullProve runs: witness (circom_runtime), then groth16.prove. */
const CHILD_SOURCE = (
  paths: { snarkjs: string; circomRuntime: string; ffjavascript: string; jsonLines: string },
  nice: number,
) => `
// Before snarkjs starts its worker threads, which inherit this thread's priority; the threads Node started before this
// code ran are lowered one by one (a Linux nice value is per thread; see lowerOtherThreads in src/cli/process-priority).
try {
  const os = require('node:os');
  os.setPriority(${nice});
  for (const tid of require('node:fs').readdirSync('/proc/self/task')) try { os.setPriority(Number(tid), ${nice}); } catch {}
} catch {}
const fs = require('node:fs');
const snarkjs = require(${JSON.stringify(paths.snarkjs)});
const { WitnessCalculatorBuilder } = require(${JSON.stringify(paths.circomRuntime)});
const { unstringifyBigInts } = require(${JSON.stringify(paths.ffjavascript)}).utils;
const { startJsonLinesProcess } = require(${JSON.stringify(paths.jsonLines)});
const circuits = new Map();
// A file by path, size and mtime: a rebuilt key or circuit is a new one.
function fileStamp(file) { const s = fs.statSync(file); return file + ':' + s.size + ':' + s.mtimeMs; }
// The proving key's bytes are read only for snarkjs (withKey): the native prover keeps its own parsed copy.
async function circuit(wasm, zkey, withKey) {
  const stamp = fileStamp(wasm) + '|' + fileStamp(zkey);
  let entry = circuits.get(stamp);
  if (entry) {
    circuits.delete(stamp);
    circuits.set(stamp, entry);
    const loaded = await entry;
    loaded.zkey ??= withKey ? new Uint8Array(fs.readFileSync(zkey)) : undefined;
    return loaded;
  }
  entry = (async () => ({
    witness: await WitnessCalculatorBuilder(new Uint8Array(fs.readFileSync(wasm))),
    zkey: withKey ? new Uint8Array(fs.readFileSync(zkey)) : undefined,
  }))();
  circuits.set(stamp, entry);
  entry.catch(() => circuits.delete(stamp));
  while (circuits.size > ${PROVER_CIRCUIT_CACHE}) circuits.delete(circuits.keys().next().value);
  return entry;
}
// snarkjs' prove asks ffjavascript for the BN254 curve, and ffjavascript keeps its threaded build in
// globalThis.curve_bn128 (in this process; the parent's own slot is the one releaseProvingResources clears). A
// single-thread build put there first serves every proof: on circuits this small the worker threads cost more than they
// share (prover CPU per one-row proof, 20 each: supplier-risk 126 -> 89 ms, lane-eta 187 -> 133, demand-forecast
// 176 -> 120). snarkjs' own singleThread option is no substitute: it builds a new curve for every call (over 300 ms per
// proof measured). A failed build is not kept: the next proof tries again.
let curveReady;
function singleThreadCurve() {
  curveReady ??= require(${JSON.stringify(paths.ffjavascript)})
    .buildBn128(true)
    .then((curve) => { globalThis.curve_bn128 ??= curve; })
    .catch((error) => { curveReady = undefined; throw error; });
  return curveReady;
}
// The native prover (src/verification/proof/native-prover.ts) when the parent names its binary: one long-lived process
// per binary (it inherits this process's nice), one JSON line per job each way (json-lines-process.js, as the verifier speaks to it), the witness in base64, each answer
// checked to be an object carrying its job's id and a proof or an error. A process that exits, fails to start, answers
// out of protocol or takes longer than the job's timeout is killed and its job fails; with \`fallback\`
// (PROVER_BACKEND=auto) that job is proved with snarkjs instead, and so are the binary's next jobs for a while (30 s,
// doubling with each failure in a row up to 10 min; a native proof that succeeds ends it): one timeout on a busy
// machine does not move every later proof to the prover that costs four times the CPU. The first native proof on each
// key is checked with snarkjs against the key's own verification key: a binary that makes proofs that do not verify
// is a process failure for good (auto) or fails its jobs (native). An error answer (a bad key or witness) fails the
// job either way.
let native;
const brokenBinaries = new Map();
const BACKOFF_MS = 30000, BACKOFF_MAX_MS = 600000;
function nativeFailed(binary, forGood) {
  const failures = (brokenBinaries.get(binary)?.failures ?? 0) + 1;
  const until = forGood ? Infinity : Date.now() + Math.min(BACKOFF_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
  brokenBinaries.set(binary, { failures, until });
  return until;
}
const nativeResting = (binary) => (brokenBinaries.get(binary)?.until ?? 0) > Date.now();
function nativeProver(binary) {
  if (native && native.binary === binary && !native.lines.gone) return native;
  native?.lines.stop();
  const lines = startJsonLinesProcess(binary, {
    processError: (why) => Object.assign(new Error('native prover ' + why), { processFailure: true }),
    outOfProtocol: (answer) =>
      answer.error !== undefined || (answer.proof !== null && typeof answer.proof === 'object' && Array.isArray(answer.publicSignals))
        ? undefined
        : 'answered neither a proof nor an error',
  });
  native = { binary, lines };
  return native;
}
async function proveNatively(binary, zkey, witness, timeoutMs) {
  const answer = await nativeProver(binary).lines.ask({ zkey, wtns: Buffer.from(witness).toString('base64') }, timeoutMs);
  if (answer.error !== undefined) throw new Error('native prover: ' + answer.error);
  return answer;
}
// The first native proof of each binary on each key (by file, size and mtime) is verified with snarkjs under the
// key's verification key (about 12 ms, once): a native prover that makes well-formed proofs that do not verify would
// otherwise roll back every decision at the verifier.
const checkedKeys = new Set();
async function checkFirstNativeProof(binary, zkey, { proof, publicSignals }) {
  const key = binary + '|' + fileStamp(zkey);
  if (checkedKeys.has(key)) return;
  await singleThreadCurve();
  const verificationKey = await snarkjs.zKey.exportVerificationKey(zkey);
  // A proof snarkjs cannot even read (wrong shape, points off the curve) is as wrong as one that does not verify.
  const verified = await snarkjs.groth16.verify(verificationKey, publicSignals, proof).catch(() => false);
  if (!verified)
    throw Object.assign(new Error('native prover made a proof that snarkjs does not verify under its key'), {
      processFailure: true,
      wrongProof: true,
    });
  checkedKeys.add(key);
}
async function proveWithSnarkjs(wasm, zkey, witness) {
  await singleThreadCurve();
  const loaded = await circuit(wasm, zkey, true);
  return snarkjs.groth16.prove({ type: 'mem', data: loaded.zkey }, { type: 'mem', data: witness });
}
// One proof at a time: a circuit's witness generator is one WebAssembly instance, and calculateWTNSBin yields between
// computing the witness and reading it out, so two jobs of one circuit interleaved would read each other's witness.
async function prove({ id, input, wasm, zkey, native: use, nativeTimeoutMs }) {
  try {
    const loaded = await circuit(wasm, zkey, !use);
    const witness = await loaded.witness.calculateWTNSBin(unstringifyBigInts(input));
    let result;
    if (use && !(use.fallback && nativeResting(use.binary))) {
      try {
        result = await proveNatively(use.binary, zkey, witness, nativeTimeoutMs);
        await checkFirstNativeProof(use.binary, zkey, result);
        brokenBinaries.delete(use.binary);
      } catch (error) {
        if (!(use.fallback && error.processFailure)) throw error;
        const until = nativeFailed(use.binary, error.wrongProof);
        const next = until === Infinity ? 'from now on' : 'until ' + new Date(until).toISOString();
        process.stderr.write('prover: ' + error.message + '; proving with snarkjs ' + next + '\\n');
        result = await proveWithSnarkjs(wasm, zkey, witness);
      }
    } else result = await proveWithSnarkjs(wasm, zkey, witness);
    const { proof, publicSignals } = result;
    process.send({ id, proof, publicSignals });
  } catch (error) {
    process.send({ id, error: String((error && error.stack) || error) });
  }
}
let jobs = Promise.resolve();
process.on('message', (job) => { jobs = jobs.then(() => prove(job)); });
process.on('disconnect', () => process.exit(0));
`;

export class ProverProcessError extends Error {
  override readonly name = 'ProverProcessError';
  readonly code = 'prover_process_failed';
}

type Pending = { resolve(value: ProcessProof): void; reject(error: Error): void };
type ProverChild = { child: ChildProcess; pending: Map<number, Pending> };

let current: ProverChild | undefined;
let nextId = 0;

/** The prover process, started at `nice` on first use; one per process, so the first caller's nice holds while it runs. */
function proverChild(nice: number): ProverChild {
  if (current) return current;
  // execArgv empty: the parent's TypeScript loader flags are not needed (and not wanted) in the child.
  const source = CHILD_SOURCE(
    {
      snarkjs: require.resolve('snarkjs'),
      circomRuntime: require.resolve('circom_runtime'),
      ffjavascript: require.resolve('ffjavascript'),
      jsonLines: require.resolve('./json-lines-process.js'),
    },
    nice,
  );
  const child = spawn(process.execPath, ['-e', source], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const entry: ProverChild = { child, pending: new Map() };
  const failAll = (error: Error) => {
    for (const job of entry.pending.values()) job.reject(error);
    entry.pending.clear();
    if (current === entry) current = undefined;
  };
  child.on('message', (message: { id: number; error?: string } & Partial<ProcessProof>) => {
    const job = entry.pending.get(message.id);
    if (!job) return;
    entry.pending.delete(message.id);
    if (message.error !== undefined) job.reject(new ProverProcessError(message.error));
    else job.resolve({ proof: message.proof as Groth16Proof, publicSignals: message.publicSignals as string[] });
    // An idle prover must not keep the parent alive.
    if (entry.pending.size === 0) unref(child);
  });
  child.on('error', (error) => failAll(new ProverProcessError(`prover process failed: ${error.message}`)));
  child.on('exit', (code, signal) => failAll(new ProverProcessError(`prover process exited (${signal ?? code})`)));
  current = entry;
  return entry;
}

// The IPC channel holds the parent's event loop open on its own; ref/unref it with the child.
const channelOf = (child: ChildProcess) => (child as unknown as { channel?: { ref(): void; unref(): void } }).channel;
function unref(child: ChildProcess): void {
  child.unref();
  channelOf(child)?.unref();
}
function ref(child: ChildProcess): void {
  child.ref();
  channelOf(child)?.ref();
}

/** A Groth16 proof (witness, then the native prover or snarkjs.groth16.prove) in the prover process (started on first use, kept for the next
 *  proofs, with the circuits it has loaded). */
export function fullProveInChild(
  input: Record<string, unknown>,
  wasm: string,
  zkey: string,
  /** The native prover (native-prover.ts); without it, snarkjs proves. */
  native?: NativeUse,
  /** How long the native process may take for one proof before it is killed (at nice 19 a proof waits for spare CPU). */
  nativeTimeoutMs = NATIVE_PROOF_TIMEOUT_MS,
  /** CPU priority of the prover process when this call starts it (PROVER_NICE). */
  nice = PROVER_NICE,
): Promise<ProcessProof> {
  const { child, pending } = proverChild(nice);
  const id = nextId++;
  ref(child);
  return new Promise<ProcessProof>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    child.send({ id, input, wasm, zkey, native, nativeTimeoutMs });
  });
}

/** The prover process's id while it runs (tests and benchmarks). */
export function proverProcessId(): number | undefined {
  return current?.child.pid;
}

/** Ends the prover process, if one runs; queued proofs fail with ProverProcessError. */
export async function stopProverProcess(): Promise<void> {
  const entry = current;
  current = undefined;
  if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  const exited = new Promise((resolve) => entry.child.once('exit', resolve));
  entry.child.kill('SIGTERM');
  await exited;
}
