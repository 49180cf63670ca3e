// The verifier's trust configuration, built from EngineConfig: pinned roots, the signed node registry, freshness.
import fs from 'node:fs/promises';
import { privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../../config';
import {
  awsNitroRoot,
  defaultAllowListPath,
  readAllowList,
  rootFromPem,
  type NodeRegistry,
  type TrustedRoot,
} from '../attestation';
import { developmentRootDir } from '../attestation/development-enclave';
import { VerificationError } from '../errors';

export type AttestationPolicy = {
  rootOfTrust: TrustedRoot[];
  allowDevelopmentRoot: boolean;
  registry: NodeRegistry;
  maxAgeMs: number;
};

export async function loadAttestationPolicy(config: EngineConfig): Promise<AttestationPolicy> {
  // Both the mode and the flag must allow the development root: loadConfig refuses the flag in production, and this
  // repeats the rule where it matters, so a hand-built config cannot slip the stand-in root into production.
  const allowDevelopmentRoot = config.mode === 'development' && config.attestation.allowDevelopmentRoot;
  const roots: TrustedRoot[] = [awsNitroRoot()];
  if (config.verification.rootPemPath)
    roots.push(rootFromPem(await fs.readFile(config.verification.rootPemPath, 'utf8')));
  if (allowDevelopmentRoot) {
    const pem = await fs.readFile(`${developmentRootDir(config.stateDir)}/root.pem`, 'utf8').catch(() => undefined);
    if (pem) roots.push(rootFromPem(pem, 'development'));
  }
  const signer =
    config.verification.allowListSigner ??
    (config.mode === 'development' ? privateKeyToAccount(config.keys.deployer).address : undefined);
  if (!signer)
    throw new VerificationError(
      'allow_list_signature_invalid',
      'NODE_ALLOW_LIST_SIGNER is required in production mode',
    );
  const registry = await readAllowList(
    config.verification.allowListPath ?? defaultAllowListPath(config.stateDir),
    signer,
  );
  return { rootOfTrust: roots, allowDevelopmentRoot, registry, maxAgeMs: config.verification.attestationMaxAgeMs };
}
