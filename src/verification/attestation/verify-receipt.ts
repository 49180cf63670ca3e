// Binds a receipt to a verified attestation: same node, signed by the attested key, for a model the attestation lists.
import { bytesToHex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { fail, pass, type CheckOutcome } from '../reasons';
import { recoverReceiptSigner, type ReceiptLike, type ReceiptSignerRecovery } from '../receipt';
import type { VerifiedAttestation } from './verify-attestation';

export type ReceiptBindingReason =
  'receipt_signer_not_attested' | 'receipt_model_not_attested' | 'receipt_node_mismatch';

/** The Ethereum address of the attested secp256k1 public key (65-byte uncompressed SEC1), if it is one. */
export function attestedSignerAddress(attestation: VerifiedAttestation): string | undefined {
  const key = attestation.publicKey;
  if (!key || key.length !== 65 || key[0] !== 0x04) return undefined;
  return publicKeyToAddress(bytesToHex(key)).toLowerCase();
}

export async function verifyReceiptAgainstAttestation(
  receipt: ReceiptLike,
  attestation: VerifiedAttestation,
  recoverSigner: ReceiptSignerRecovery = recoverReceiptSigner,
): Promise<CheckOutcome<ReceiptBindingReason>> {
  if (attestation.nodeId !== undefined && attestation.nodeId !== receipt.nodeId) {
    return fail(
      'receipt_node_mismatch',
      `receipt names node ${receipt.nodeId}, attestation node ${attestation.nodeId}`,
    );
  }
  const attested = attestedSignerAddress(attestation);
  const signer = await recoverSigner(receipt).catch(() => undefined);
  if (!attested || !signer || signer.toLowerCase() !== attested) {
    return fail(
      'receipt_signer_not_attested',
      `receipt signed by ${signer ?? 'an unrecoverable key'}, attested key is ${attested ?? 'absent'}`,
    );
  }
  if (!attestation.modelIds.includes(receipt.modelId)) {
    return fail('receipt_model_not_attested', `model ${receipt.modelId} is not among the attested, registered models`);
  }
  return pass();
}
