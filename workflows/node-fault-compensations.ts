// What follows the undoing when a node's answer failed verification: take back or dispute every payment made to it
// (one per receipt) and flag each node once, on chain. Run after the saga's own steps (see Saga.compensate's `afterwards`).
import type { InferenceRecord } from '../src/contracts/decision';
import { compensations } from './decision-activities';
import type { Compensation } from './saga';

/** Gives an escrowed payment back to the payer (verifier-signed refund); a retry after it moved is a no-op. */
export function escrowRefund(decisionId: string, inference: InferenceRecord, reason: string): Compensation {
  const { nodeUrl, paymentRef, receiptId } = inference;
  return {
    action: 'refundPayment',
    reference: paymentRef,
    run: async () => {
      const refunded = await compensations.refundPayment({ decisionId, nodeUrl, receiptId, paymentRef, reason });
      return {
        transaction: refunded.transaction,
        note: refunded.alreadyDone
          ? 'refunded to the payer from escrow (earlier)'
          : 'refunded to the payer from escrow',
      };
    },
  };
}

/** Escrowed payments are refunded to the payer; others were final on transfer, so the dispute is all there is. */
export function paymentCompensation(decisionId: string, inference: InferenceRecord, reason: string): Compensation {
  const { nodeId, paymentRef, receiptId } = inference;
  if (inference.settlementMode === 'escrow') return escrowRefund(decisionId, inference, reason);
  return {
    action: 'disputePayment',
    reference: paymentRef,
    run: async () => {
      const disputed = await compensations.disputePayment({ decisionId, nodeId, paymentRef, receiptId, reason });
      return {
        transaction: disputed.reference,
        note: `dispute recorded on chain; the money was NOT recovered (${inference.settlementMode ?? 'non-escrow'} mode: the transfer to the node is final)`,
      };
    },
  };
}

export function nodeFaultCompensations(
  decisionId: string,
  inferences: readonly InferenceRecord[],
  reason: string,
): Compensation[] {
  const payments = inferences.map((inference) => paymentCompensation(decisionId, inference, reason));
  // One flag per node, citing its latest receipt.
  const nodes = [...new Map(inferences.map((i) => [i.nodeId, i])).values()];
  const flags: Compensation[] = nodes.map((inference) => ({
    action: 'flagNode',
    reference: inference.nodeId,
    run: async () =>
      void (await compensations.flagNode({
        decisionId,
        nodeId: inference.nodeId,
        receiptId: inference.receiptId,
        reason,
      })),
  }));
  return [...payments, ...flags];
}
