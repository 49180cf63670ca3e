// Escrow mode: once a decision is verified, each escrowed payment is captured to the node that earned it.
import { ActivityFailure } from '@temporalio/workflow';
import { compensations } from './decision-activities';
import type { DecisionState } from './decision-state';

/** A capture the escrow refuses (deadline passed) is noted, not fatal: the verified decision stands. */
export async function capturePayments(state: DecisionState): Promise<void> {
  for (const inference of state.inferences.filter((i) => i.settlementMode === 'escrow')) {
    try {
      const captured = await compensations.capturePayment({
        decisionId: state.decisionId,
        nodeUrl: inference.nodeUrl,
        receiptId: inference.receiptId,
        paymentRef: inference.paymentRef,
      });
      state.recordAction('capturePayment', captured.transaction ?? inference.paymentRef);
      state.note('payment_captured', { paymentRef: inference.paymentRef, transaction: captured.transaction });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      state.note('payment_capture_failed', {
        paymentRef: inference.paymentRef,
        error: error.cause?.message ?? error.message,
      });
    }
  }
}
