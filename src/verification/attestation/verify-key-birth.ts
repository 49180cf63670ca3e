// Checks a receipt against its key's birth certificate (key-birth.ts) when the node's live enclave holds another key:
// the document must verify as any attestation does (chain, measurements, registry) at the time it was made, carry the
// key-birth nonce of the receipt's signer, predate the receipt, and not be older than the key lifetime allows.
import { fail, type CheckOutcome, type VerificationReason } from '../reasons';
import { recoverReceiptSigner, type ReceiptLike, type ReceiptSignerRecovery } from '../receipt';
import { CoseFormatError, decodeCoseSign1 } from './cose';
import { AttestationFormatError, decodeAttestationDocument } from './document';
import { keyBirthNonce } from './key-birth';
import { verifyAttestation, type AttestationOptions } from './verify-attestation';
import { verifyReceiptAgainstAttestation } from './verify-receipt';

/** A receipt may be signed at most this long after its key was attested, unless configured otherwise. */
export const DEFAULT_KEY_MAX_AGE_MS = 7 * 24 * 3_600_000;
/** Clock skew tolerated between the enclave's clock and the node's receipt timestamps. */
const SKEW_MS = 30_000;

export async function verifyKeyBirth(
  receipt: ReceiptLike & { signer: string; issuedAt: string },
  document: Uint8Array | undefined,
  policy: Omit<AttestationOptions, 'now' | 'expectedNonce'>,
  keyMaxAgeMs: number = DEFAULT_KEY_MAX_AGE_MS,
  recoverSigner: ReceiptSignerRecovery = recoverReceiptSigner,
): Promise<CheckOutcome<VerificationReason> | undefined> {
  if (!document) return undefined;
  let bornAt: number;
  try {
    bornAt = decodeAttestationDocument(decodeCoseSign1(document).payload).timestamp;
  } catch (error) {
    if (error instanceof CoseFormatError || error instanceof AttestationFormatError)
      return fail('attestation_malformed', `key-birth document: ${error.message}`);
    throw error;
  }
  // Certificates are checked at the document's own time: Nitro leaf certificates live hours, receipts may be checked later.
  const verified = verifyAttestation(document, {
    ...policy,
    now: new Date(bornAt),
    expectedNonce: keyBirthNonce(receipt.signer),
  });
  if (!verified.ok) return verified;
  const issuedAt = Date.parse(receipt.issuedAt);
  if (!(bornAt <= issuedAt + SKEW_MS))
    return fail(
      'attestation_stale',
      `the key was attested at ${new Date(bornAt).toISOString()}, after the receipt was signed`,
    );
  if (issuedAt - bornAt > keyMaxAgeMs)
    return fail(
      'attestation_stale',
      `the receipt was signed ${Math.round((issuedAt - bornAt) / 3_600_000)} h after its key was attested (limit ${Math.round(keyMaxAgeMs / 3_600_000)} h)`,
    );
  return verifyReceiptAgainstAttestation(receipt, verified.attestation, recoverSigner);
}
