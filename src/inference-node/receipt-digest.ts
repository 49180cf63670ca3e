// Receipt identifiers, EIP-712 digest and signature checks (scheme documented in src/contracts/receipt.ts).
import { encodePacked, hashTypedData, keccak256, recoverAddress, type Hex } from 'viem';
import { RECEIPT_EIP712_DOMAIN, RECEIPT_EIP712_TYPES, type Receipt, type UnsignedReceipt } from '../contracts/receipt';

export function receiptIdOf(nodeId: string, paymentRef: string): Hex {
  return keccak256(encodePacked(['string', 'string', 'string'], ['proofpath.receipt.v1', nodeId, paymentRef]));
}

export function receiptDigest(receipt: UnsignedReceipt): Hex {
  const { receiptId, modelId, inputHash, outputHash, nodeId, issuedAt, paymentRef, settlementMode } = receipt;
  return hashTypedData({
    domain: RECEIPT_EIP712_DOMAIN,
    types: RECEIPT_EIP712_TYPES,
    primaryType: 'Receipt',
    message: { receiptId, modelId, inputHash, outputHash, nodeId, issuedAt, paymentRef, settlementMode },
  });
}

/** The address that signed the receipt's digest. */
export async function recoverReceiptSigner(receipt: Receipt): Promise<`0x${string}`> {
  return recoverAddress({ hash: receiptDigest(receipt), signature: receipt.signature });
}

/** True when the signature over the receipt's fields recovers to `expectedSigner` (default: the receipt's `signer`). */
export async function verifyReceiptSignature(receipt: Receipt, expectedSigner: `0x${string}` = receipt.signer): Promise<boolean> {
  try {
    return (await recoverReceiptSigner(receipt)).toLowerCase() === expectedSigner.toLowerCase();
  } catch {
    return false;
  }
}
