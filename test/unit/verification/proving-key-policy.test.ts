// Cached proving keys are trusted only as what they claim to be: the verification key must hash to the circuit id,
// and production refuses keys set up from the locally generated (development-only) powers of tau.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  circuitIdOf,
  DEVELOPMENT_SRS,
  ensureProvingKeys,
  loadProvingKeys,
  provingKeysDir,
} from '../../../src/verification/proof';
import { CIRCUIT_GENERATOR_VERSION } from '../../../src/verification/proof/circuit-source';

const MODEL = 'ab'.repeat(32);
const neverBuild = async (): Promise<Uint8Array> => {
  throw new Error('cached keys must not be rebuilt');
};

/** Writes a cached key set (circuit.json + verification_key.json) as the setup leaves it. */
function cacheWithKeys(srs: string, tamper = false): string {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-keys-'));
  const dir = provingKeysDir(cacheDir, MODEL);
  fs.mkdirSync(dir, { recursive: true });
  const verificationKey = { protocol: 'groth16', curve: 'bn128', nPublic: 8, vk_alpha_1: ['1', '2', '1'] };
  const circuit = {
    modelId: MODEL,
    generatorVersion: CIRCUIT_GENERATOR_VERSION,
    scheme: 'groth16-bn254-circom',
    circuitId: circuitIdOf(verificationKey as never),
    srs,
  };
  fs.writeFileSync(path.join(dir, 'circuit.json'), JSON.stringify(circuit));
  fs.writeFileSync(
    path.join(dir, 'verification_key.json'),
    JSON.stringify(tamper ? { ...verificationKey, nPublic: 9 } : verificationKey),
  );
  return cacheDir;
}

describe('proving key policy', () => {
  it('loads keys whose verification key hashes to their circuit id', async () => {
    const cacheDir = cacheWithKeys(DEVELOPMENT_SRS);
    await expect(loadProvingKeys(provingKeysDir(cacheDir, MODEL))).resolves.toMatchObject({
      circuit: { modelId: MODEL },
    });
  });

  it('refuses a verification key swapped under its circuit id', async () => {
    const cacheDir = cacheWithKeys(DEVELOPMENT_SRS, true);
    await expect(loadProvingKeys(provingKeysDir(cacheDir, MODEL))).rejects.toMatchObject({
      name: 'ProvingSetupError',
      message: expect.stringMatching(/does not hash to its circuit id/),
    });
  });

  it('uses development-only keys in development and refuses them in production', async () => {
    const cacheDir = cacheWithKeys(DEVELOPMENT_SRS);
    await expect(ensureProvingKeys(MODEL, cacheDir, neverBuild, { allowDevelopmentSrs: true })).resolves.toMatchObject({
      circuit: { srs: DEVELOPMENT_SRS },
    });
    await expect(ensureProvingKeys(MODEL, cacheDir, neverBuild, { allowDevelopmentSrs: false })).rejects.toMatchObject({
      name: 'ProvingSetupError',
      step: 'srs',
    });
  });

  it('accepts in production keys set up from a public ceremony file', async () => {
    const cacheDir = cacheWithKeys(`public ceremony powers of tau, sha256 ${'cd'.repeat(32)}`);
    await expect(ensureProvingKeys(MODEL, cacheDir, neverBuild, { allowDevelopmentSrs: false })).resolves.toMatchObject(
      { circuit: { modelId: MODEL } },
    );
  });
});
