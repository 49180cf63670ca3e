// Groth16 verification in the project's native binary (native/groth16-prover, arkworks; the same build the node's
// prover uses): a long-lived child of the verifier, one JSON line per job each way, answered in order. About 2 ms of
// CPU per proof against 10-20 ms for snarkjs' WebAssembly pairing (bench/verification.ts measures both), and stricter:
// every G2 point must lie in the prime-order subgroup.
//
// A verifier that said "verified" wrongly would pass manipulated results, so the binary is not trusted on its word:
// the first check of each verification key is also made by snarkjs, and on a copy of the proof with one public signal
// changed, which the binary must refuse. A binary that disagrees is dropped for good (snarkjs verifies from then on,
// logged). A process that fails (exits, times out, answers out of protocol) fails its waiting jobs, which snarkjs then
// checks; the binary rests 30 s before it is asked again.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import type { Logger } from 'pino';
import * as snarkjs from 'snarkjs';
import { canonicalJson } from '../../contracts/canonical-json';

/** Checks one Groth16 proof under a verification key (snarkjs' JSON formats). */
export type Groth16Verify = (
  key: snarkjs.VerificationKey,
  publicSignals: string[],
  proof: snarkjs.Groth16Proof,
) => Promise<boolean>;

/** snarkjs' own check (WebAssembly); a proof it cannot read does not verify. */
export const snarkjsGroth16Verify: Groth16Verify = (key, publicSignals, proof) =>
  snarkjs.groth16.verify(key, publicSignals, proof).catch(() => false);

/** How long one native check may take before the process is taken for hung (about 2 ms of CPU, at the verifier's nice). */
export const NATIVE_VERIFY_TIMEOUT_MS = 30_000;
const REST_AFTER_FAILURE_MS = 30_000;

class NativeVerifierProcessError extends Error {
  override readonly name = 'NativeVerifierProcessError';
}

type Waiting = { id: number; resolve(verified: boolean): void; reject(error: Error): void; timer: NodeJS.Timeout };

/** One running binary: jobs written in order and answered in order. */
function startProcess(binary: string, onGone: () => void) {
  const child: ChildProcessWithoutNullStreams = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting: Waiting[] = [];
  let gone = false;
  const fail = (why: string) => {
    if (gone) return;
    gone = true;
    onGone();
    child.kill('SIGKILL');
    for (const job of waiting.splice(0)) {
      clearTimeout(job.timer);
      job.reject(new NativeVerifierProcessError(`native verifier ${why}`));
    }
  };
  child.on('error', (error) => fail(`failed: ${error.message}`));
  child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  child.stdin.on('error', () => undefined);
  child.stderr.resume();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.trim()) return;
    let answer: { id?: unknown; verified?: unknown; error?: unknown };
    try {
      answer = JSON.parse(line) as typeof answer;
    } catch {
      return fail('answered a line that is not JSON');
    }
    const job = waiting[0];
    if (!job || answer?.id !== job.id) return fail(`answered out of order (id ${String(answer?.id)})`);
    waiting.shift();
    clearTimeout(job.timer);
    if (typeof answer.error === 'string') job.reject(new Error(`native verifier: ${answer.error}`));
    else if (typeof answer.verified === 'boolean') job.resolve(answer.verified);
    else fail('answered neither a verdict nor an error');
  });
  let nextId = 0;
  return {
    pid: child.pid,
    get gone() {
      return gone;
    },
    check(key: snarkjs.VerificationKey, publicSignals: string[], proof: snarkjs.Groth16Proof): Promise<boolean> {
      const id = ++nextId;
      return new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(
          () => fail(`took longer than ${NATIVE_VERIFY_TIMEOUT_MS} ms`),
          NATIVE_VERIFY_TIMEOUT_MS,
        );
        waiting.push({ id, resolve, reject, timer });
        child.stdin.write(`${JSON.stringify({ id, verify: { key, proof, publicSignals } })}\n`);
      });
    },
    stop() {
      gone = true;
      child.kill('SIGTERM');
    },
  };
}

/** The first public signal plus one (mod nothing: a different, still canonical value), for the refusal canary. */
function alteredSignals(publicSignals: string[]): string[] {
  const [first, ...rest] = publicSignals;
  return first === undefined ? publicSignals : [(BigInt(first) + 1n).toString(), ...rest];
}

export type NativeGroth16Verifier = {
  verify: Groth16Verify;
  /** The binary's process id while it runs (benchmarks meter its CPU). */
  processId(): number | undefined;
  close(): void;
};

/**
 * Checks with the binary at `binary`, snarkjs standing in whenever it cannot (see the header). A job the binary
 * answers with an error (a verification key it cannot read) is checked by snarkjs too: the key is the verifier's own,
 * so this is a disagreement to log, not a proof to refuse.
 */
export function createNativeGroth16Verifier(
  binary: string,
  logger?: Logger,
  fallback: Groth16Verify = snarkjsGroth16Verify,
): NativeGroth16Verifier {
  let current: ReturnType<typeof startProcess> | undefined;
  let restingUntil = 0;
  let broken = false;
  const checkedKeys = new Map<string, Promise<boolean>>();

  const running = () => {
    if (current && !current.gone) return current;
    current = startProcess(binary, () => {
      restingUntil = Date.now() + REST_AFTER_FAILURE_MS;
    });
    return current;
  };

  /** Once per key: the binary must agree with snarkjs on this proof and refuse the altered one. */
  const keyChecked = (key: snarkjs.VerificationKey, publicSignals: string[], proof: snarkjs.Groth16Proof) => {
    const id = canonicalJson(key);
    let checked = checkedKeys.get(id);
    if (!checked) {
      checked = (async () => {
        const native = running();
        const [mine, theirs, altered] = await Promise.all([
          native.check(key, publicSignals, proof),
          fallback(key, publicSignals, proof),
          native.check(key, alteredSignals(publicSignals), proof),
        ]);
        const agree = mine === theirs && !altered;
        // Only a proof snarkjs accepts makes the altered copy a test of refusal: after a refused one, ask again.
        if (agree && !theirs) checkedKeys.delete(id);
        return agree;
      })();
      checkedKeys.set(id, checked);
      checked.catch(() => checkedKeys.delete(id));
    }
    return checked;
  };

  const verify: Groth16Verify = async (key, publicSignals, proof) => {
    if (broken || Date.now() < restingUntil) return fallback(key, publicSignals, proof);
    try {
      if (!(await keyChecked(key, publicSignals, proof))) {
        broken = true;
        current?.stop();
        logger?.error({ binary }, 'the native verifier disagreed with snarkjs; verifying with snarkjs from now on');
        return fallback(key, publicSignals, proof);
      }
      return await running().check(key, publicSignals, proof);
    } catch (error) {
      logger?.warn({ err: error, binary }, 'native verification failed; this proof is checked with snarkjs');
      return fallback(key, publicSignals, proof);
    }
  };

  return {
    verify,
    processId: () => (current && !current.gone ? current.pid : undefined),
    close() {
      current?.stop();
      current = undefined;
    },
  };
}
