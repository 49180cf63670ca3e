// Certificate chain validation for attestation documents: cabundle[0] must be a pinned root, each certificate must be
// issued and signed by the one before it, and all must be valid at the verification time (Nitro spec, "Certificates validity").
import crypto from 'node:crypto';
import { fail, pass, type CheckOutcome } from '../reasons';
import type { TrustedRoot } from './nitro-root';

/** The development root's subject carries this organisation, so production refuses it even if someone pins it. */
export const DEVELOPMENT_ROOT_ORGANISATION = 'proofpath development enclave - not a TEE';

export type ChainOptions = { now: Date; roots: TrustedRoot[]; allowDevelopmentRoot: boolean };
export type ChainResult = CheckOutcome<
  'attestation_chain_untrusted' | 'attestation_expired' | 'attestation_development_root_refused'
> & {
  leaf?: crypto.X509Certificate;
};

// Intermediates change rarely (the zonal and instance certificates live for days): cache the verified links, keyed by DER
// digests, so the per-document cost is one link (the leaf) plus the COSE signature.
const verifiedLinks = new Map<string, true>();
const LINK_CACHE_LIMIT = 512;

const parsedCache = new Map<string, crypto.X509Certificate>();
function parse(der: Uint8Array): crypto.X509Certificate {
  const key = crypto.createHash('sha256').update(der).digest('hex');
  let cert = parsedCache.get(key);
  if (!cert) {
    cert = new crypto.X509Certificate(Buffer.from(der));
    if (parsedCache.size >= LINK_CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(key, cert);
  }
  return cert;
}

function linkVerified(child: crypto.X509Certificate, parent: crypto.X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  if (verifiedLinks.has(key)) return true;
  // RFC 5280 §6.1.3: the issuer name must match and the signature must verify under the issuer's key; the issuer must be a CA.
  const ok = parent.ca && child.checkIssued(parent) && child.verify(parent.publicKey);
  if (ok) {
    if (verifiedLinks.size >= LINK_CACHE_LIMIT) verifiedLinks.clear();
    verifiedLinks.set(key, true);
  }
  return ok;
}

function isDevelopment(root: TrustedRoot): boolean {
  return root.kind === 'development' || root.certificate.subject.includes(DEVELOPMENT_ROOT_ORGANISATION);
}

export function verifyCertificateChain(
  leafDer: Uint8Array,
  cabundle: Uint8Array[],
  options: ChainOptions,
): ChainResult {
  let certificates: crypto.X509Certificate[];
  try {
    certificates = [...cabundle.map(parse), parse(leafDer)];
  } catch (error) {
    return fail('attestation_chain_untrusted', `unparseable certificate: ${(error as Error).message}`);
  }
  const presentedRoot = certificates[0] as crypto.X509Certificate;
  const root = options.roots.find((r) => r.certificate.raw.equals(presentedRoot.raw));
  // Name the development stand-in even when it is not pinned, so an operator sees why production refused the node.
  if (!root && presentedRoot.subject.includes(DEVELOPMENT_ROOT_ORGANISATION) && !options.allowDevelopmentRoot) {
    return fail(
      'attestation_development_root_refused',
      'the document chains to a development enclave root, which production refuses',
    );
  }
  if (!root)
    return fail(
      'attestation_chain_untrusted',
      `cabundle root ${presentedRoot.subject.replace(/\n/g, ', ')} is not pinned`,
    );
  // Checked here, not only in configuration: a production verifier never accepts the development stand-in.
  if (isDevelopment(root) && !options.allowDevelopmentRoot) {
    return fail(
      'attestation_development_root_refused',
      'the document chains to the development enclave root, which production refuses',
    );
  }
  for (let i = 1; i < certificates.length; i++) {
    const child = certificates[i] as crypto.X509Certificate;
    if (!linkVerified(child, certificates[i - 1] as crypto.X509Certificate)) {
      return fail(
        'attestation_chain_untrusted',
        `certificate ${i} (${child.subject.replace(/\n/g, ', ')}) is not signed by its issuer`,
      );
    }
  }
  const at = options.now.getTime();
  for (const cert of certificates) {
    if (at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo)) {
      return fail(
        'attestation_expired',
        `${cert.subject.replace(/\n/g, ', ')} is valid ${cert.validFrom} to ${cert.validTo}`,
      );
    }
  }
  return { ...pass(), leaf: certificates[certificates.length - 1] };
}
