// The development root CA (P-384), generated once per state directory; `stack up` (provisionStack) calls ensureDevelopmentRoot.
// It exists so the full attestation path runs on machines without Nitro hardware. Production refuses it (see chain.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { createRootCa, certifiedKeyFromPem, type CertifiedKey } from './certificates';

export type DevelopmentRoot = CertifiedKey & { certificatePath: string; certificatePem: string };

const ROOT_VALIDITY_YEARS = 10;

export function developmentRootDir(stateDir: string): string {
  return path.join(stateDir, 'attestation', 'development-root');
}

/** Creates the development root under `<stateDir>/attestation/development-root/` if it is missing, and loads it. */
export async function ensureDevelopmentRoot(stateDir: string): Promise<DevelopmentRoot> {
  const dir = developmentRootDir(stateDir);
  const certificatePath = path.join(dir, 'root.pem');
  const keyPath = path.join(dir, 'root.key.pem');
  const existing = await Promise.all([fs.readFile(certificatePath, 'utf8'), fs.readFile(keyPath, 'utf8')]).catch(
    () => undefined,
  );
  if (existing)
    return { ...certifiedKeyFromPem(existing[0], existing[1]), certificatePath, certificatePem: existing[0] };

  const now = new Date();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + ROOT_VALIDITY_YEARS);
  const root = createRootCa('proofpath development enclave root', {
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
  });
  const certificatePem = root.certificate.toString();
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // Write the key first and the certificate last, atomically, so a concurrent reader never sees a certificate without its key.
  await fs.writeFile(keyPath, root.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
  await writeFileAtomic(certificatePath, certificatePem);
  return { ...root, certificatePath, certificatePem };
}
