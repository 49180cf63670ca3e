// One circuit and one Groth16 key pair per model id, generated locally from the model's ONNX weights and cached under
// <cacheDir>/zk/<modelId>/. Never downloaded at run time; `stack up` (provisionStack) calls ensureProvingKeys for each model.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as snarkjs from 'snarkjs';
import { canonicalJson } from '../../contracts/canonical-json';
import type { EngineConfig } from '../../config';
import { ProvingSetupError } from '../errors';
import { CIRCUIT_GENERATOR_VERSION, generateCircuitSource } from './circuit-source';
import { compileCircuit } from './compile-circuit';
import { mlpSpecFromGraph } from './mlp-spec';
import { readOnnxGraph } from './onnx-initializers';
import { ensurePowersOfTau, exists } from './powers-of-tau';
import { BOUND_BITS, INPUT_BITS, WEIGHT_BITS, quantizeMlp } from './quantize';

/** Port: the ONNX bytes of a model, already checked to hash to its id (src/models readVerifiedModel does that). */
export type ModelBytesSource = (modelId: string) => Promise<Uint8Array>;

export type CircuitInfo = {
  modelId: string;
  generatorVersion: number;
  scheme: 'groth16-bn254-circom';
  quantization: { inputBits: number; weightBits: number; boundBits: number };
  inputs: number;
  hidden: number;
  sigmoid: boolean[];
  /** Widths of the hidden layers after the first (absent: one hidden layer). */
  deeperHidden?: number[];
  /** The proven outputs are the logits of one softmax, which the verifier applies (absent: false). */
  softmax?: boolean;
  /** Graph outputs the proof does not cover, with the reason (absent: none). */
  omittedOutputs?: Array<{ name: string; reason: string }>;
  constraints: number;
  ptauPower: number;
  /** sha256 of the canonical verification key: names this exact circuit + setup. */
  circuitId: string;
  srs: typeof DEVELOPMENT_SRS | `public ceremony powers of tau, sha256 ${string}`;
};

export const DEVELOPMENT_SRS = 'local development-only powers of tau';

/** `allowDevelopmentSrs: false` (production) refuses keys set up from the locally generated powers of tau. */
export type ProvingKeyPolicy = { allowDevelopmentSrs: boolean };

/** The policy of a process in this mode: development keys only in development (node and verifier alike). */
export function provingKeyPolicyOf(config: Pick<EngineConfig, 'mode'>): ProvingKeyPolicy {
  return { allowDevelopmentSrs: config.mode === 'development' };
}

export type ProvingKeys = {
  dir: string;
  wasm: string;
  zkey: string;
  verificationKey: snarkjs.VerificationKey;
  circuit: CircuitInfo;
};

/** The smallest ptau power used, so the three decision models share one file. */
const MIN_PTAU_POWER = 11;

export function provingKeysDir(cacheDir: string, modelId: string): string {
  if (!/^[0-9a-f]{64}$/.test(modelId)) throw new ProvingSetupError(`model id ${modelId} is not sha256 hex`, 'keys');
  return path.join(cacheDir, 'zk', modelId);
}

const inFlight = new Map<string, Promise<ProvingKeys>>();

/** Returns the model's proving keys, generating circuit, ptau and keys on first use (tens of seconds, once). */
export async function ensureProvingKeys(
  modelId: string,
  cacheDir: string,
  loadModel: ModelBytesSource,
  policy: ProvingKeyPolicy = { allowDevelopmentSrs: true },
): Promise<ProvingKeys> {
  const dir = provingKeysDir(cacheDir, modelId);
  let pending = inFlight.get(dir);
  if (!pending) {
    pending = (async () => (await loadProvingKeys(dir)) ?? build(modelId, cacheDir, dir, loadModel))();
    pending.catch(() => inFlight.delete(dir));
    inFlight.set(dir, pending);
  }
  const keys = await pending;
  if (keys.circuit.srs === DEVELOPMENT_SRS && !policy.allowDevelopmentSrs) {
    throw new ProvingSetupError(
      `the keys of model ${modelId} come from a locally generated (development-only) powers of tau; in production put a public ceremony file at ${path.join(cacheDir, 'zk', 'ptau')}/pot<power>.ptau and remove ${dir} to set up again`,
      'srs',
    );
  }
  return keys;
}

/** Loads keys generated earlier; undefined when absent or made by another generator version. */
export async function loadProvingKeys(dir: string): Promise<ProvingKeys | undefined> {
  const circuitFile = path.join(dir, 'circuit.json');
  if (!(await exists(circuitFile))) return undefined;
  const circuit = JSON.parse(await fs.readFile(circuitFile, 'utf8')) as CircuitInfo;
  if (circuit.generatorVersion !== CIRCUIT_GENERATOR_VERSION) return undefined;
  const verificationKey = JSON.parse(
    await fs.readFile(path.join(dir, 'verification_key.json'), 'utf8'),
  ) as snarkjs.VerificationKey;
  // The circuit id names the key; a key file swapped under it must not pass as the circuit the id names.
  if (circuitIdOf(verificationKey) !== circuit.circuitId)
    throw new ProvingSetupError(`verification key in ${dir} does not hash to its circuit id`, 'load keys');
  return {
    dir,
    wasm: path.join(dir, 'model_js', 'model.wasm'),
    zkey: path.join(dir, 'model.zkey'),
    verificationKey,
    circuit,
  };
}

export function circuitIdOf(verificationKey: snarkjs.VerificationKey): string {
  return crypto.createHash('sha256').update(canonicalJson(verificationKey)).digest('hex');
}

async function build(
  modelId: string,
  cacheDir: string,
  dir: string,
  loadModel: ModelBytesSource,
): Promise<ProvingKeys> {
  const bytes = await loadModel(modelId);
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== modelId)
    throw new ProvingSetupError('model bytes do not hash to the model id', 'load model');
  const spec = mlpSpecFromGraph(readOnnxGraph(bytes));
  const source = generateCircuitSource(quantizeMlp(spec), modelId);
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const work = await fs.mkdtemp(`${dir}.building-`);
  try {
    const { r1cs } = await compileCircuit(work, source);
    const info = await snarkjs.r1cs.info(r1cs);
    // Groth16's FFT domain must hold constraints + public inputs + 1.
    const ptauPower = Math.max(
      MIN_PTAU_POWER,
      Math.ceil(Math.log2(info.nConstraints + info.nPubInputs + info.nOutputs + 1)),
    );
    const ptau = await ensurePowersOfTau(cacheDir, ptauPower);
    const zkey0 = path.join(work, 'model_0.zkey');
    await snarkjs.zKey.newZKey(r1cs, ptau.file, zkey0);
    await snarkjs.zKey.contribute(
      zkey0,
      path.join(work, 'model.zkey'),
      'proofpath local setup',
      crypto.randomBytes(32).toString('hex'),
    );
    await fs.rm(zkey0);
    const verificationKey = await snarkjs.zKey.exportVerificationKey(path.join(work, 'model.zkey'));
    const circuit: CircuitInfo = {
      modelId,
      generatorVersion: CIRCUIT_GENERATOR_VERSION,
      scheme: 'groth16-bn254-circom',
      quantization: { inputBits: INPUT_BITS, weightBits: WEIGHT_BITS, boundBits: BOUND_BITS },
      inputs: spec.inputs,
      hidden: spec.hidden,
      ...(spec.deeper?.length ? { deeperHidden: spec.deeper.map((l) => l.b.length) } : {}),
      sigmoid: spec.heads.map((h) => h.sigmoid),
      ...(spec.softmax ? { softmax: true } : {}),
      ...(spec.omittedOutputs?.length ? { omittedOutputs: spec.omittedOutputs } : {}),
      constraints: info.nConstraints,
      ptauPower,
      circuitId: circuitIdOf(verificationKey),
      srs: ptau.developmentOnly ? DEVELOPMENT_SRS : `public ceremony powers of tau, sha256 ${ptau.sha256}`,
    };
    await fs.writeFile(path.join(work, 'verification_key.json'), JSON.stringify(verificationKey));
    await fs.writeFile(path.join(work, 'circuit.json'), JSON.stringify(circuit, null, 2));
    // Publish atomically: another process may have finished first, in which case its keys win and ours are dropped.
    await fs.rename(work, dir).catch(async () => fs.rm(work, { recursive: true, force: true }));
  } catch (error) {
    await fs.rm(work, { recursive: true, force: true });
    throw error;
  }
  const keys = await loadProvingKeys(dir);
  if (!keys) throw new ProvingSetupError('keys missing after setup', 'publish');
  return keys;
}
