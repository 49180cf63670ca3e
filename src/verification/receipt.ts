// The one implementation of the receipt's signature scheme (fields and EIP-712 types in src/contracts/receipt.ts): the
// digest the node signs and commits on chain, and the recovery of who signed it, which verification checks.
import { hashTypedData, type Hex } from 'viem';
import { RECEIPT_EIP712_DOMAIN, RECEIPT_EIP712_TYPES, type Receipt, type UnsignedReceipt } from '../contracts';
import { recoverAddressFromDigest, SignatureUnrecoverableError } from '../signatures';

export type ReceiptLike = Receipt;

/** Port: recovers the address of the secp256k1 key that signed a receipt. */
export type ReceiptSignerRecovery = (receipt: ReceiptLike) => Promise<Hex>;

/** The EIP-712 message of a receipt: every signed field (src/contracts/receipt.ts fixes the order and types). */
export function receiptTypedData(receipt: UnsignedReceipt) {
  const { receiptId, modelId, inputHash, outputHash, nodeId, issuedAt, paymentRef, settlementMode } = receipt;
  return {
    domain: RECEIPT_EIP712_DOMAIN,
    types: RECEIPT_EIP712_TYPES,
    primaryType: 'Receipt' as const,
    message: { receiptId, modelId, inputHash, outputHash, nodeId, issuedAt, paymentRef, settlementMode },
  };
}

/** The EIP-712 digest of a receipt's signed fields: what the node signs and what the registry commits. */
export function receiptDigest(receipt: UnsignedReceipt): Hex {
  return hashTypedData(receiptTypedData(receipt));
}

/**
 * The engine's scheme: EIP-712 typed data over the receipt (see src/contracts/receipt.ts). Rejects, as viem's
 * recoverTypedDataAddress did, when the signature recovers to no key (SignatureUnrecoverableError).
 */
export const recoverReceiptSigner: ReceiptSignerRecovery = async (receipt) => {
  const signer = recoverAddressFromDigest(receiptDigest(receipt), receipt.signature);
  if (!signer)
    throw new SignatureUnrecoverableError(`the signature of receipt ${receipt.receiptId} recovers to no key`);
  return signer;
};

/**
 * A recovery that recovers each receipt once: a verification job asks who signed its receipt in the attestation check,
 * in the binding to the attested key and in the key-birth check (a curve operation each, 0.35 ms on libsecp256k1).
 * Keyed by the receipt object, which a job never changes.
 */
export function recoverOncePerReceipt(recover: ReceiptSignerRecovery): ReceiptSignerRecovery {
  const recovered = new WeakMap<ReceiptLike, Promise<Hex>>();
  return (receipt) => {
    let signer = recovered.get(receipt);
    if (!signer) {
      signer = recover(receipt);
      recovered.set(receipt, signer);
    }
    return signer;
  };
}

/** True when the signature over the receipt's fields recovers to `expectedSigner` (default: the receipt's `signer`). */
export async function verifyReceiptSignature(receipt: Receipt, expectedSigner: Hex = receipt.signer): Promise<boolean> {
  try {
    return (await recoverReceiptSigner(receipt)).toLowerCase() === expectedSigner.toLowerCase();
  } catch {
    return false;
  }
}
