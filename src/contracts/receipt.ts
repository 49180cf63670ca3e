// The signed inference receipt and how it is signed. Pure (zod + constants) so workflows may import it.
//
// Signing scheme: EIP-712 typed data (https://eips.ethereum.org/EIPS/eip-712), domain {name: "proofpath.receipt",
// version: "1"} (no chainId: the payment's chain is named inside paymentRef), primary type `Receipt` below.
// digest = hashTypedData(domain, Receipt{...}); signature = secp256k1 signature of the digest (65 bytes, r‖s‖v) by the
// node's ephemeral signing key, whose address is `signer`. The verifier recovers the address from (digest, signature),
// compares it with `signer`, and binds `signer` to the node's attestation document. The same digest is what the node
// commits on the settlement registry (individual/deferred) or as a Merkle leaf (batch, see src/chain/merkle.ts).
import { z } from 'zod';

const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 32 bytes of 0x-prefixed hex')
  .transform((v) => v as `0x${string}`);
const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((v) => v as `0x${string}`);

export const SettlementModeSchema = z.enum(['individual', 'deferred', 'batch', 'escrow', 'channel']);

export const RECEIPT_EIP712_DOMAIN = { name: 'proofpath.receipt', version: '1' } as const;
export const RECEIPT_EIP712_TYPES = {
  Receipt: [
    { name: 'receiptId', type: 'bytes32' },
    { name: 'modelId', type: 'string' },
    { name: 'inputHash', type: 'bytes32' },
    { name: 'outputHash', type: 'bytes32' },
    { name: 'nodeId', type: 'string' },
    { name: 'issuedAt', type: 'string' },
    { name: 'paymentRef', type: 'string' },
    { name: 'settlementMode', type: 'string' },
  ],
} as const;

/** The signed fields, in EIP-712 order. */
export const UnsignedReceiptSchema = z.object({
  /** keccak256("proofpath.receipt.v1" ‖ nodeId ‖ paymentRef): one receipt per payment per node. */
  receiptId: Bytes32,
  /** Content id of the model (sha256 of the ONNX bytes, as the model registry names it). */
  modelId: z.string().min(1),
  inputHash: Bytes32,
  outputHash: Bytes32,
  /** The node's on-chain identity: the address registered on the settlement registry. */
  nodeId: z.string().min(1),
  issuedAt: z.iso.datetime(),
  /** `<network>/<asset>/<payer>/<nonce>`: the EIP-3009 authorization that paid, checkable with authorizationState. */
  paymentRef: z.string().min(1),
  settlementMode: SettlementModeSchema,
});

export const ReceiptSchema = UnsignedReceiptSchema.extend({
  /** Address of the node's signing key (ephemeral, bound to the attestation document). Not itself signed: recovered. */
  signer: Address,
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte signature')
    .transform((v) => v as `0x${string}`),
});

export type SettlementMode = z.infer<typeof SettlementModeSchema>;
export type UnsignedReceipt = z.infer<typeof UnsignedReceiptSchema>;
export type Receipt = z.infer<typeof ReceiptSchema>;
