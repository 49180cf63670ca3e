// Publishes a decision's lifecycle events (decision.acted, .verified, .rolled_back, ...) through the events activity,
// each carrying the decision's attempt, round, status and receipts.
import type { DecisionEventType } from '../src/contracts/events';
import type { DecisionOutcomeCode, FailedCheck } from '../src/contracts/decision-outcome';
import { activities } from './decision-activities';
import { now, type DecisionState } from './decision-state';
import type { CompensationOutcome } from './saga';

export type DecisionEventData = {
  code?: DecisionOutcomeCode;
  reason?: string;
  failedCheck?: FailedCheck;
  action?: { type: string } & Record<string, unknown>;
  compensations?: CompensationOutcome[];
};

export async function publishDecisionEvent(
  state: DecisionState,
  type: DecisionEventType,
  data: DecisionEventData,
): Promise<void> {
  await activities.publishDecisionEvent({
    decisionId: state.decisionId,
    kind: state.kind,
    type,
    attempt: state.attempt,
    round: state.round,
    status: state.audit.status,
    time: now(),
    ...data,
    receipts: state.inferences.map(({ receiptId, modelId, nodeId, paymentRef }) => ({
      receiptId,
      modelId,
      nodeId,
      paymentRef,
    })),
  });
}
