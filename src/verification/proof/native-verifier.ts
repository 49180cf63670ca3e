// Groth16 verification in the project's native binary (native/groth16-prover, arkworks; the same build the node's
// prover uses): a long-lived child of the verifier, one JSON line per job each way, answered in order. About 2 ms of
// CPU per proof against 10-12 ms for snarkjs' WebAssembly pairing (bench/verification.ts measures both), and stricter:
// every G2 point must lie in the prime-order subgroup.
//
// A verifier that said "verified" wrongly would pass manipulated results, so the binary is not trusted on its word.
// Until a key is trusted, each proof under it is also checked by snarkjs, and the binary must refuse two altered copies
// (the first and the last public signal changed). The key is trusted once both accepted a proof and the binary refused
// both copies. A binary that accepts what snarkjs refuses, or accepts an altered copy, is dropped for good (snarkjs
// from then on, logged). A binary that refuses what snarkjs accepts is not dropped and the proof is refused: the
// stricter answer (a G2 point outside the subgroup would make exactly this difference), logged; a wrong refusal costs
// a rollback, never a manipulated result passed. A process that fails (exits, times out, answers out of protocol)
// fails its waiting jobs, which snarkjs then checks; the binary rests 30 s before it is asked again.
import type { Logger } from 'pino';
import * as snarkjs from 'snarkjs';
import { canonicalJson } from '../../contracts/canonical-json';
import { EngineError } from '../../errors';
import { startJsonLinesProcess } from './json-lines-process';

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

/** The binary is not there to answer (stopped, exited, hung, or answered out of protocol): snarkjs checks the proof. */
export class NativeVerifierProcessError extends EngineError<'native_verifier_unavailable'> {
  override readonly name = 'NativeVerifierProcessError';
  constructor(message: string) {
    super('native_verifier_unavailable', message, { retryable: true });
  }
}

/** The binary answered this one job with an error (a key or proof it could not read): snarkjs checks the proof. */
export class NativeVerifierAnswerError extends EngineError<'native_verifier_refused_input'> {
  override readonly name = 'NativeVerifierAnswerError';
  constructor(message: string) {
    super('native_verifier_refused_input', message);
  }
}

/** One running binary: jobs written in order and answered in order (json-lines-process.js). */
function startProcess(binary: string, onFailure: () => void, logger?: Logger) {
  const lines = startJsonLinesProcess(binary, {
    processError: (why) => new NativeVerifierProcessError(`native verifier ${why}`),
    outOfProtocol: (answer) =>
      typeof answer.error === 'string' || typeof answer.verified === 'boolean'
        ? undefined
        : 'answered neither a verdict nor an error',
    onFailure,
    // The binary writes a panic's location to stderr (one line): kept in the verifier's log.
    onStderrLine: (line) => logger?.warn({ binary, stderr: line }, 'native verifier said'),
  });
  return {
    pid: lines.pid,
    get gone() {
      return lines.gone;
    },
    async check(key: snarkjs.VerificationKey, publicSignals: string[], proof: snarkjs.Groth16Proof): Promise<boolean> {
      const answer = await lines.ask({ verify: { key, proof, publicSignals } }, NATIVE_VERIFY_TIMEOUT_MS);
      if (typeof answer.error === 'string') throw new NativeVerifierAnswerError(`native verifier: ${answer.error}`);
      return answer.verified === true;
    },
    stop: () => lines.stop(),
  };
}

/** BN254's scalar field modulus: altered signals stay field elements. */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** Copies of the signals with one of them (the first, then the last) moved by one: proofs that must not verify. */
function alteredCopies(publicSignals: string[]): string[][] {
  const positions = [...new Set([0, publicSignals.length - 1])].filter((i) => i >= 0);
  return positions.map((i) =>
    publicSignals.map((value, j) => (j === i ? ((BigInt(value) + 1n) % R).toString() : value)),
  );
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
  const trustedKeys = new Set<string>();
  // A key's identity by its canonical JSON, computed once per key object (the verifier keeps its keys loaded).
  const ids = new WeakMap<object, string>();
  const idOf = (key: snarkjs.VerificationKey) => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = canonicalJson(key)));
    return id;
  };

  const running = () => {
    if (current && !current.gone) return current;
    current = startProcess(
      binary,
      () => {
        restingUntil = Date.now() + REST_AFTER_FAILURE_MS;
      },
      logger,
    );
    return current;
  };

  /** Under a key not trusted yet: snarkjs beside the binary, and the binary on the altered copies (see the header). */
  const checkBeside = async (key: snarkjs.VerificationKey, publicSignals: string[], proof: snarkjs.Groth16Proof) => {
    const native = running();
    const [mine, theirs, ...altered] = await Promise.all([
      native.check(key, publicSignals, proof),
      fallback(key, publicSignals, proof),
      ...alteredCopies(publicSignals).map((copy) => native.check(key, copy, proof)),
    ]);
    if ((mine && !theirs) || altered.some(Boolean)) {
      broken = true;
      current?.stop();
      logger?.error(
        { binary, native: mine, snarkjs: theirs, alteredAccepted: altered.some(Boolean) },
        'the native verifier accepted what it must refuse; verifying with snarkjs from now on',
      );
      return theirs;
    }
    if (!mine && theirs) {
      logger?.error({ binary }, 'the native verifier refused a proof snarkjs accepts; the proof is refused');
      return false;
    }
    if (mine && theirs) trustedKeys.add(idOf(key));
    return mine;
  };

  const verify: Groth16Verify = async (key, publicSignals, proof) => {
    if (broken || Date.now() < restingUntil) return fallback(key, publicSignals, proof);
    try {
      if (!trustedKeys.has(idOf(key))) return await checkBeside(key, publicSignals, proof);
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
