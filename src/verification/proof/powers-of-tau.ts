// A locally generated powers-of-tau file (BN254), DEVELOPMENT ONLY: one party knows the toxic waste is discarded only if
// you trust this machine. Production should use a public ceremony file (e.g. the Hermez/Polygon perpetual powers of tau),
// placed at the same path; nothing here ever downloads one.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as snarkjs from 'snarkjs';

export function ptauPath(cacheDir: string, power: number): string {
  return path.join(cacheDir, 'zk', 'ptau', `pot${power}.development-only.ptau`);
}

/** Where an operator puts a phase-2-ready file from a public multi-party ceremony; preferred whenever present. */
export function ceremonyPtauPath(cacheDir: string, power: number): string {
  return path.join(cacheDir, 'zk', 'ptau', `pot${power}.ptau`);
}

export type PowersOfTau = { file: string; developmentOnly: boolean; sha256: string };

const inFlight = new Map<string, Promise<string>>();

/**
 * The ptau to set up with: the operator's ceremony file when there is one, else a local development-only one (created
 * once per cache, about 30 s for 2^11). Keys made from the local one are refused in production (proving-keys.ts).
 */
export async function ensurePowersOfTau(cacheDir: string, power: number): Promise<PowersOfTau> {
  const ceremony = ceremonyPtauPath(cacheDir, power);
  const file = (await exists(ceremony)) ? ceremony : await ensureDevelopmentPowersOfTau(cacheDir, power);
  const sha256 = crypto
    .createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
  return { file, developmentOnly: file !== ceremony, sha256 };
}

function ensureDevelopmentPowersOfTau(cacheDir: string, power: number): Promise<string> {
  const target = ptauPath(cacheDir, power);
  let pending = inFlight.get(target);
  if (!pending) {
    pending = build(target, power).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

async function build(target: string, power: number): Promise<string> {
  if (await exists(target)) return target;
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const work = await fs.mkdtemp(path.join(dir, `pot${power}-`));
  try {
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    const p0 = path.join(work, '0.ptau');
    const p1 = path.join(work, '1.ptau');
    const final = path.join(work, 'final.ptau');
    await snarkjs.powersOfTau.newAccumulator(curve, power, p0);
    await snarkjs.powersOfTau.contribute(
      p0,
      p1,
      'proofpath development-only contribution',
      crypto.randomBytes(32).toString('hex'),
    );
    await snarkjs.powersOfTau.preparePhase2(p1, final);
    await fs.writeFile(
      path.join(dir, 'README.txt'),
      'Powers of tau generated on this machine with one local contribution: DEVELOPMENT ONLY.\n' +
        'For production, replace with a file from a public multi-party ceremony of the same power.\n',
    );
    await fs.rename(final, target);
    return target;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
