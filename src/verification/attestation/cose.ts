// COSE_Sign1 (RFC 9052 §4.2) with ES384 (RFC 9053 §2.1), the envelope of an AWS Nitro attestation document.
import { EngineError } from '../../errors';
import crypto from 'node:crypto';
import { Decoder, Encoder } from 'cbor-x';

/** RFC 9053 §2.1: algorithm identifier of ECDSA with SHA-384 on P-384. */
export const COSE_ALG_ES384 = -35;
const COSE_HEADER_ALG = 1;
/** RFC 9052 §4.2: COSE_Sign1 may be wrapped in CBOR tag 18; Nitro documents are untagged. */
const COSE_SIGN1_TAG = 18;

// Maps stay Maps so integer keys (COSE labels, PCR indices) keep their type; byte strings decode to Buffers.
export const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });
export const cborEncoder = new Encoder({ mapsAsObjects: false, useRecords: false, variableMapSize: true });

export type CoseSign1 = {
  protectedHeader: Uint8Array;
  unprotected: unknown;
  payload: Uint8Array;
  signature: Uint8Array;
};

export class CoseFormatError extends EngineError {
  override readonly name = 'CoseFormatError';
  constructor(message: string) {
    super('attestation_malformed', message);
  }
}

export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let value: unknown;
  try {
    value = cbor.decode(bytes);
  } catch (error) {
    throw new CoseFormatError(`not CBOR: ${(error as Error).message}`);
  }
  if (value && typeof value === 'object' && 'tag' in value && (value as { tag: number }).tag === COSE_SIGN1_TAG) {
    value = (value as unknown as { value: unknown }).value;
  }
  if (!Array.isArray(value) || value.length !== 4) throw new CoseFormatError('COSE_Sign1 must be a 4-element array');
  const [protectedHeader, unprotected, payload, signature] = value as unknown[];
  if (
    !(protectedHeader instanceof Uint8Array) ||
    !(payload instanceof Uint8Array) ||
    !(signature instanceof Uint8Array)
  ) {
    throw new CoseFormatError('COSE_Sign1 protected header, payload and signature must be byte strings');
  }
  // RFC 9052 §3: a non-empty protected header is a serialized CBOR map; anything else is a malformed document.
  if (protectedHeader.length > 0 && !(decodeHeader(protectedHeader) instanceof Map))
    throw new CoseFormatError('COSE_Sign1 protected header is not a CBOR map');
  return { protectedHeader, unprotected, payload, signature };
}

function decodeHeader(bytes: Uint8Array): unknown {
  try {
    return cbor.decode(bytes) as unknown;
  } catch {
    return undefined;
  }
}

/** The algorithm named in the protected header (RFC 9052 §3.1, label 1). */
export function protectedAlgorithm(sign1: CoseSign1): number | undefined {
  if (sign1.protectedHeader.length === 0) return undefined;
  const header = decodeHeader(sign1.protectedHeader);
  return header instanceof Map ? (header.get(COSE_HEADER_ALG) as number | undefined) : undefined;
}

/** RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]; Nitro uses an empty external_aad. */
export function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Buffer {
  return cborEncoder.encode(['Signature1', Buffer.from(protectedHeader), Buffer.alloc(0), Buffer.from(payload)]);
}

/** ES384 signatures are the raw r||s concatenation (RFC 9053 §2.1), which node calls ieee-p1363. */
export function verifyEs384(sign1: CoseSign1, publicKey: crypto.KeyObject): boolean {
  if (protectedAlgorithm(sign1) !== COSE_ALG_ES384 || sign1.signature.length !== 96) return false;
  const toBeSigned = sigStructure(sign1.protectedHeader, sign1.payload);
  return crypto.verify('sha384', toBeSigned, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sign1.signature);
}

/** Signs a payload as an untagged COSE_Sign1 with ES384, as the Nitro Secure Module does. */
export function signEs384(payload: Uint8Array, privateKey: crypto.KeyObject): Buffer {
  const protectedHeader = cborEncoder.encode(new Map([[COSE_HEADER_ALG, COSE_ALG_ES384]]));
  const signature = crypto.sign('sha384', sigStructure(protectedHeader, payload), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return cborEncoder.encode([protectedHeader, new Map(), Buffer.from(payload), signature]);
}
