// Money follows verification: once a decision is verified, each escrowed payment is captured to the node that earned
// it, and each channel charge is handed to the facilitator to claim with the next batch.
import { ActivityFailure } from '@temporalio/workflow';
import { compensations } from './decision-activities';
import type { DecisionState } from './decision-state';
import { releasesOnVerdict } from './node-fault-compensations';

/** A capture the escrow refuses (deadline passed) is noted, not fatal: the verified decision stands. */
export async function capturePayments(state: DecisionState): Promise<void> {
  for (const inference of state.inferences.filter((i) => releasesOnVerdict(i.settlementMode))) {
    const channel = inference.settlementMode === 'channel';
    try {
      const captured = await compensations.capturePayment({
        decisionId: state.decisionId,
        nodeUrl: inference.nodeUrl,
        receiptId: inference.receiptId,
        paymentRef: inference.paymentRef,
        ...(channel ? { settlementMode: 'channel', amount: inference.amount } : {}),
      });
      if (channel) {
        // The claim goes on chain with the next batch (many charges, one transaction): recorded here as queued.
        state.recordAction('claimChannelCharge', captured.transaction ?? inference.paymentRef);
        state.note('channel_charge_claim_recorded', {
          paymentRef: inference.paymentRef,
          state: captured.state,
          transaction: captured.transaction,
        });
        continue;
      }
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
