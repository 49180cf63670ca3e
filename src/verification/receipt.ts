// The receipt as verification sees it (schema in src/contracts/receipt.ts) and the port that tells who signed it.
import { recoverTypedDataAddress, type Hex } from 'viem';
import { RECEIPT_EIP712_DOMAIN, RECEIPT_EIP712_TYPES, type Receipt, type UnsignedReceipt } from '../contracts';

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

/** The engine's scheme: EIP-712 typed data over the receipt (see src/contracts/receipt.ts). */
export const recoverReceiptSigner: ReceiptSignerRecovery = (receipt) =>
  recoverTypedDataAddress({ ...receiptTypedData(receipt), signature: receipt.signature });
