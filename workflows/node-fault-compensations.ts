// What follows the undoing when a node's answer failed verification: dispute every payment made to it (one per receipt)
// and flag each node once, on chain. Run after the saga's own steps (see Saga.compensate's `afterwards`).
import type { InferenceRecord } from '../src/contracts/decision';
import { compensations } from './decision-activities';
import type { Compensation } from './saga';

export function nodeFaultCompensations(decisionId: string, inferences: readonly InferenceRecord[], reason: string): Compensation[] {
  const disputes: Compensation[] = inferences.map((inference) => ({
    action: 'disputePayment',
    reference: inference.paymentRef,
    run: async () => void (await compensations.disputePayment({ decisionId, nodeId: inference.nodeId, paymentRef: inference.paymentRef, receiptId: inference.receiptId, reason })),
  }));
  // One flag per node, citing its latest receipt.
  const nodes = [...new Map(inferences.map((i) => [i.nodeId, i])).values()];
  const flags: Compensation[] = nodes.map((inference) => ({
    action: 'flagNode',
    reference: inference.nodeId,
    run: async () => void (await compensations.flagNode({ decisionId, nodeId: inference.nodeId, receiptId: inference.receiptId, reason })),
  }));
  return [...disputes, ...flags];
}
