// What follows the undoing when a node's answer failed verification: take back or dispute every payment made to it
// (one per receipt) and flag each node once, on chain. Run after the saga's own steps (see Saga.compensate's `afterwards`).
import type { InferenceRecord } from '../src/contracts/decision';
import { compensations } from './decision-activities';
import type { Compensation } from './saga';

/** Modes where the verifier's verdict moves the money: escrow (capture/refund) and channel (claim/refund a charge). */
export function releasesOnVerdict(settlementMode: string | undefined): boolean {
  return settlementMode === 'escrow' || settlementMode === 'channel';
}

/** Gives an escrowed payment or a channel charge back to the payer (verifier-signed); a retry after it moved is a no-op. */
export function escrowRefund(decisionId: string, inference: InferenceRecord, reason: string): Compensation {
  const { nodeUrl, paymentRef, receiptId } = inference;
  const channel = inference.settlementMode === 'channel';
  const from = channel ? 'the payment channel' : 'escrow';
  return {
    action: 'refundPayment',
    reference: paymentRef,
    run: async () => {
      const refunded = await compensations.refundPayment({
        decisionId,
        nodeUrl,
        receiptId,
        paymentRef,
        reason,
        ...(channel ? { settlementMode: 'channel', amount: inference.amount } : {}),
      });
      return {
        transaction: refunded.transaction,
        note: refunded.alreadyDone
          ? `refunded to the payer from ${from} (earlier)`
          : `refunded to the payer from ${from}`,
      };
    },
  };
}

/** Escrowed payments are refunded to the payer; others were final on transfer, so the dispute is all there is. */
export function paymentCompensation(decisionId: string, inference: InferenceRecord, reason: string): Compensation {
  const { nodeId, paymentRef, receiptId } = inference;
  if (releasesOnVerdict(inference.settlementMode)) return escrowRefund(decisionId, inference, reason);
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
