// The attestation document payload (AWS Nitro Enclaves "Attestation document specification"), decoded and re-encoded with cbor-x.
import { EngineError } from '../../errors';
import { cbor, cborEncoder } from './cose';

export type AttestationDocument = {
  moduleId: string;
  /** Milliseconds since the Unix epoch at which the document was issued. */
  timestamp: number;
  digest: 'SHA384' | string;
  /** PCR index → measurement bytes (48 bytes for SHA384). */
  pcrs: Map<number, Uint8Array>;
  /** DER leaf certificate whose key signed the COSE envelope. */
  certificate: Uint8Array;
  /** DER certificates, root first (the Nitro spec orders the bundle from the root down to the leaf's issuer). */
  cabundle: Uint8Array[];
  publicKey?: Uint8Array;
  userData?: Uint8Array;
  nonce?: Uint8Array;
};

export class AttestationFormatError extends EngineError {
  override readonly name = 'AttestationFormatError';
  constructor(message: string) {
    super('attestation_malformed', message);
  }
}

const bytes = (value: unknown, field: string): Uint8Array => {
  if (!(value instanceof Uint8Array)) throw new AttestationFormatError(`${field} must be a byte string`);
  return value;
};
const optionalBytes = (value: unknown, field: string): Uint8Array | undefined =>
  value == null ? undefined : bytes(value, field);

export function decodeAttestationDocument(payload: Uint8Array): AttestationDocument {
  let map: unknown;
  try {
    map = cbor.decode(payload);
  } catch (error) {
    throw new AttestationFormatError(`payload is not CBOR: ${(error as Error).message}`);
  }
  if (!(map instanceof Map)) throw new AttestationFormatError('payload must be a CBOR map');
  const moduleId = map.get('module_id');
  const timestamp = map.get('timestamp');
  const digest = map.get('digest');
  const pcrs = map.get('pcrs');
  const cabundle = map.get('cabundle');
  if (typeof moduleId !== 'string' || moduleId.length === 0)
    throw new AttestationFormatError('module_id must be a non-empty text string');
  if (typeof timestamp !== 'number' && typeof timestamp !== 'bigint')
    throw new AttestationFormatError('timestamp must be an integer');
  if (typeof digest !== 'string') throw new AttestationFormatError('digest must be a text string');
  if (!(pcrs instanceof Map) || pcrs.size === 0 || pcrs.size > 32)
    throw new AttestationFormatError('pcrs must be a map of 1..32 entries');
  if (!Array.isArray(cabundle) || cabundle.length === 0)
    throw new AttestationFormatError('cabundle must be a non-empty array');
  const pcrMap = new Map<number, Uint8Array>();
  for (const [index, value] of pcrs as Map<unknown, unknown>) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 31)
      throw new AttestationFormatError('PCR index out of range');
    const measurement = bytes(value, `pcrs[${index}]`);
    if (![32, 48, 64].includes(measurement.length))
      throw new AttestationFormatError(`pcrs[${index}] has ${measurement.length} bytes`);
    pcrMap.set(index, measurement);
  }
  return {
    moduleId,
    timestamp: Number(timestamp),
    digest,
    pcrs: pcrMap,
    certificate: bytes(map.get('certificate'), 'certificate'),
    cabundle: cabundle.map((c, i) => bytes(c, `cabundle[${i}]`)),
    publicKey: optionalBytes(map.get('public_key'), 'public_key'),
    userData: optionalBytes(map.get('user_data'), 'user_data'),
    nonce: optionalBytes(map.get('nonce'), 'nonce'),
  };
}

/** Encodes the payload with the field names and order of the Nitro specification. */
export function encodeAttestationDocument(doc: AttestationDocument): Buffer {
  const b = (u: Uint8Array | undefined) => (u === undefined ? null : Buffer.from(u));
  return cborEncoder.encode(
    new Map<string, unknown>([
      ['module_id', doc.moduleId],
      ['digest', doc.digest],
      ['timestamp', doc.timestamp],
      ['pcrs', new Map([...doc.pcrs].map(([i, v]) => [i, Buffer.from(v)]))],
      ['certificate', Buffer.from(doc.certificate)],
      ['cabundle', doc.cabundle.map((c) => Buffer.from(c))],
      ['public_key', b(doc.publicKey)],
      ['user_data', b(doc.userData)],
      ['nonce', b(doc.nonce)],
    ]),
  );
}
