// Verifies an attestation document: COSE signature by the leaf, chain to a pinned root, validity, nonce, freshness,
// PCR measurements and (with a registry) that the attested node is registered with exactly these measurements.
import crypto from 'node:crypto';
import { fail, type AttestationReason } from '../reasons';
import { verifyCertificateChain } from './chain';
import { CoseFormatError, decodeCoseSign1, verifyEs384 } from './cose';
import { AttestationFormatError, decodeAttestationDocument, type AttestationDocument } from './document';
import type { NodeRegistry } from './allow-list';
import type { TrustedRoot } from './nitro-root';
import { decodeNodeIdentity } from './node-identity';

/** A set of expected measurements: PCR index → lowercase hex. A document matches when every listed PCR is equal. */
export type PcrSet = Record<number, string>;

export type AttestationOptions = {
  /** The time to verify at (certificate validity and freshness). */
  now: Date;
  /** The nonce the verifier sent; when given the document must echo it byte for byte. */
  expectedNonce?: Uint8Array;
  rootOfTrust: TrustedRoot[];
  /** False in production: a document under the development enclave root is refused. */
  allowDevelopmentRoot: boolean;
  /** How old a document may be before it is stale; default five minutes. */
  maxAgeMs?: number;
  /** Measurement sets accepted without a registry (e.g. for a known enclave image). */
  pcrAllowList?: PcrSet[];
  /** The signed node registry: the node named in user_data must be listed, with these PCRs. */
  registry?: NodeRegistry;
  /**
   * Accept a debug-mode enclave (PCR0 all zeros: Nitro zeroes the measurements of enclaves started with
   * --debug-mode, whose memory the parent can read). Only for verifying published sample documents; never in production.
   */
  allowDebugEnclave?: boolean;
};

export type VerifiedAttestation = {
  document: AttestationDocument;
  nodeId?: string;
  /** Model ids both attested by the node and allowed for it by the registry. */
  modelIds: string[];
  publicKey?: Uint8Array;
};

export type AttestationVerification =
  { ok: true; attestation: VerifiedAttestation } | { ok: false; reason: AttestationReason; detail: string };

const DEFAULT_MAX_AGE_MS = 5 * 60_000;
/** Clock skew tolerated for documents dated slightly in the future. */
const FUTURE_SKEW_MS = 30_000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function pcrsMatch(pcrs: Map<number, Uint8Array>, expected: PcrSet): boolean {
  const entries = Object.entries(expected);
  // An empty expectation would match every enclave: it is a policy error, never a match.
  return (
    entries.length > 0 &&
    entries.every(([index, value]) => {
      const actual = pcrs.get(Number(index));
      return actual !== undefined && hex(actual) === value.toLowerCase();
    })
  );
}

export function verifyAttestation(bytes: Uint8Array, options: AttestationOptions): AttestationVerification {
  let document: AttestationDocument;
  let sign1: ReturnType<typeof decodeCoseSign1>;
  try {
    sign1 = decodeCoseSign1(bytes);
    document = decodeAttestationDocument(sign1.payload);
  } catch (error) {
    if (error instanceof CoseFormatError || error instanceof AttestationFormatError)
      return fail('attestation_malformed', error.message);
    throw error;
  }
  // Nitro spec: the COSE signature is made with the key of `certificate`; checking it first means every later field is authentic.
  let leafKey: crypto.KeyObject;
  try {
    leafKey = new crypto.X509Certificate(Buffer.from(document.certificate)).publicKey;
  } catch {
    return fail('attestation_malformed', 'certificate is not a DER X.509 certificate');
  }
  if (!verifyEs384(sign1, leafKey))
    return fail('attestation_signature_invalid', 'COSE_Sign1 ES384 signature does not verify under the leaf key');

  const chain = verifyCertificateChain(document.certificate, document.cabundle, {
    now: options.now,
    roots: options.rootOfTrust,
    allowDevelopmentRoot: options.allowDevelopmentRoot,
  });
  if (!chain.ok) return chain;

  if (
    options.expectedNonce &&
    (!document.nonce || !Buffer.from(document.nonce).equals(Buffer.from(options.expectedNonce)))
  ) {
    return fail('attestation_nonce_mismatch', 'the document does not carry the nonce the verifier sent');
  }
  const age = options.now.getTime() - document.timestamp;
  if (age > (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS) || age < -FUTURE_SKEW_MS) {
    return fail(
      'attestation_stale',
      `document issued at ${new Date(document.timestamp).toISOString()}, ${Math.round(age / 1000)} s before verification`,
    );
  }
  if (!options.registry && !options.pcrAllowList) {
    return fail('attestation_pcr_mismatch', 'no measurement policy: verify with a node registry or a PCR allow-list');
  }
  const pcr0 = document.pcrs.get(0);
  if (!options.allowDebugEnclave && (!pcr0 || pcr0.every((b) => b === 0))) {
    return fail('attestation_debug_enclave', 'PCR0 is all zeros: a debug-mode enclave, whose memory its host can read');
  }
  if (options.pcrAllowList && !options.pcrAllowList.some((set) => pcrsMatch(document.pcrs, set))) {
    return fail('attestation_pcr_mismatch', 'the measurements match no allowed enclave image');
  }

  const identity = decodeNodeIdentity(document.userData);
  if (!options.registry) {
    return {
      ok: true,
      attestation: {
        document,
        nodeId: identity?.nodeId,
        modelIds: identity?.modelIds ?? [],
        publicKey: document.publicKey,
      },
    };
  }
  const entry = identity ? options.registry.lookup(identity.nodeId) : undefined;
  if (!identity || !entry)
    return fail(
      'node_not_registered',
      `node ${identity?.nodeId ?? '(no identity in user_data)'} is not in the signed allow-list`,
    );
  const expected = Object.fromEntries(Object.entries(entry.pcrs).map(([k, v]) => [Number(k), v]));
  if (!pcrsMatch(document.pcrs, expected)) {
    return fail(
      'attestation_pcr_mismatch',
      `node ${entry.nodeId} runs code whose measurements differ from its registration`,
    );
  }
  const allowed = new Set(entry.modelIds);
  const modelIds = identity.modelIds.filter((id) => allowed.has(id));
  return { ok: true, attestation: { document, nodeId: identity.nodeId, modelIds, publicKey: document.publicKey } };
}
