// The node's receipt-signing port and its default: an ephemeral secp256k1 key generated at node start. The verification
// work binds this key's public key to a TEE attestation document; the private key never leaves the process.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Receipt, UnsignedReceipt } from '../contracts/receipt';
import { signDigest } from '../signatures';
import { receiptDigest } from '../verification';

export interface ReceiptSigner {
  readonly address: `0x${string}`;
  /** Uncompressed secp256k1 public key (0x04 ‖ x ‖ y), what an attestation document carries. */
  readonly publicKey: `0x${string}`;
  /** The signed receipt with the EIP-712 digest that was signed (the node journals and commits that digest too). */
  sign(receipt: UnsignedReceipt): Promise<{ receipt: Receipt; digest: `0x${string}` }>;
}

export function createEphemeralReceiptSigner(privateKey: `0x${string}` = generatePrivateKey()): ReceiptSigner {
  const account = privateKeyToAccount(privateKey);
  return {
    address: account.address,
    publicKey: account.publicKey,
    async sign(receipt) {
      // Sign the EIP-712 digest directly (no EIP-191 prefix): recoverAddress(digest, signature) yields `address`.
      const digest = receiptDigest(receipt);
      const signature = signDigest(digest, privateKey);
      return { receipt: { ...receipt, signer: account.address, signature }, digest };
    },
  };
}
