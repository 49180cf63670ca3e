// A receipt's id: one per node and payment, so a retried request (same payment) gets the same receipt back.
import { encodePacked, keccak256, type Hex } from 'viem';

export function receiptIdOf(nodeId: string, paymentRef: string): Hex {
  return keccak256(encodePacked(['string', 'string', 'string'], ['proofpath.receipt.v1', nodeId, paymentRef]));
}
