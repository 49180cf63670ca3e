// The development enclave: issues attestation documents in the AWS Nitro format (COSE_Sign1/ES384 over the CBOR payload)
// under the development root. A development stand-in for the Nitro Secure Module, never a TEE; production refuses its root.
import { encodeAttestationDocument } from '../document';
import { signEs384 } from '../cose';
import { createRootCa, issueLeaf, type CertifiedKey } from './certificates';

/** Port: what a node needs from an enclave (the Nitro NSM `Attestation` request, or this stand-in). */
export type EnclaveAttester = {
  attest(request: { publicKey?: Uint8Array; userData?: Uint8Array; nonce?: Uint8Array }): Promise<Uint8Array>;
};

export type DevelopmentEnclaveOptions = {
  root: CertifiedKey;
  pcrs: Record<number, string>;
  moduleId: string;
  now?: () => Date;
  /** Fault injection: 'expired' issues under a leaf whose validity ended; 'foreign' under a throwaway root nobody pinned. */
  mode?: () => 'honest' | 'expired' | 'foreign';
};

/** Nitro leaf certificates live about three hours; the development leaf does the same and is renewed before it ends. */
const LEAF_LIFETIME_MS = 3 * 3600_000;
const RENEW_BEFORE_MS = 10 * 60_000;

export function createDevelopmentEnclave(options: DevelopmentEnclaveOptions): EnclaveAttester {
  const now = options.now ?? (() => new Date());
  const leaves = new Map<string, Promise<{ leaf: CertifiedKey; issuer: CertifiedKey }>>();

  async function signerFor(
    mode: 'honest' | 'expired' | 'foreign',
    at: Date,
  ): Promise<{ leaf: CertifiedKey; issuer: CertifiedKey }> {
    const cached = await leaves.get(mode);
    if (cached && Date.parse(cached.leaf.certificate.validTo) - at.getTime() > RENEW_BEFORE_MS) return cached;
    const subject = `${options.moduleId}.development-enclave`;
    const made = (async () => {
      if (mode === 'expired') {
        const leaf = issueLeaf(options.root, subject, {
          notBefore: new Date(at.getTime() - 2 * LEAF_LIFETIME_MS),
          notAfter: new Date(at.getTime() - LEAF_LIFETIME_MS),
        });
        return { leaf, issuer: options.root };
      }
      const validity = {
        notBefore: new Date(at.getTime() - 60_000),
        notAfter: new Date(at.getTime() + LEAF_LIFETIME_MS),
      };
      const issuer =
        mode === 'foreign'
          ? createRootCa(
              'foreign root (not pinned)',
              { notBefore: validity.notBefore, notAfter: new Date(at.getTime() + 86400_000) },
              false,
            )
          : options.root;
      return { leaf: issueLeaf(issuer, subject, validity), issuer };
    })();
    leaves.set(mode, made);
    return made;
  }

  return {
    async attest(request) {
      const at = now();
      const mode = options.mode?.() ?? 'honest';
      const { leaf, issuer } = await signerFor(mode, at);
      const payload = encodeAttestationDocument({
        moduleId: options.moduleId,
        timestamp: at.getTime(),
        digest: 'SHA384',
        pcrs: new Map(
          Array.from({ length: 16 }, (_, i) => [i, Buffer.from(options.pcrs[i] ?? '00'.repeat(48), 'hex')]),
        ),
        certificate: leaf.certificate.raw,
        // Nitro orders the bundle from the root down to the leaf's issuer; here the root issues the leaf directly.
        cabundle: [issuer.certificate.raw],
        publicKey: request.publicKey,
        userData: request.userData,
        nonce: request.nonce,
      });
      return signEs384(payload, leaf.privateKey);
    },
  };
}
