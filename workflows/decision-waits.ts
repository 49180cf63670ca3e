// The two waits of a decision, each ending in an explicit outcome: the ERP's approval (with escalation) and the
// verifier's verdicts. A cancel request ends either wait at once.
import { condition, patched } from '@temporalio/workflow';
import { activities } from './decision-activities';
import { publishDecisionEvent } from './decision-events';
import type { DecisionState } from './decision-state';
import { VERIFICATION_CHECK_NAMES, type VerificationCheckName } from '../src/contracts/decision-outcome';
import { acceptsCheck } from '../src/contracts/decision';

/** Marks histories whose approval wait also ends on an amendment accepted while the request was being published. */
export const APPROVAL_WAIT_COUNTS_FROM_REQUEST = 'approval-wait-counts-from-request';

export type ApprovalOutcome =
  | { kind: 'not_required' }
  | { kind: 'approved' }
  | { kind: 'rejected'; by?: string; reason?: string }
  | { kind: 'timed_out' }
  | { kind: 'cancelled' }
  /** An amendment arrived while waiting: the order changed, so this approval no longer applies. */
  | { kind: 'amended' };

/** Waits for the ERP when the order value is above the threshold; escalates once, then gives up. */
export async function awaitApproval(state: DecisionState, orderValue: number): Promise<ApprovalOutcome> {
  const { approvalThreshold, approvalTimeoutMs, escalationTimeoutMs } = state.settings;
  if (orderValue <= approvalThreshold) {
    state.recordApprovalNotRequired();
    return state.cancelRequest ? { kind: 'cancelled' } : { kind: 'not_required' };
  }
  const amendmentsAtRequest = state.amendments.length;
  state.setStatus('AWAITING_APPROVAL', `order value ${orderValue} exceeds ${approvalThreshold}; waiting for the ERP`);
  await publishDecisionEvent(state, 'decision.awaiting_approval', {});
  // An amendment accepted while the request was being published also ends the wait (it is AWAITING_APPROVAL already).
  // Histories recorded before this fix counted from after publishing, and replay that way.
  const amendmentsBefore = patched(APPROVAL_WAIT_COUNTS_FROM_REQUEST) ? amendmentsAtRequest : state.amendments.length;
  const settled = () =>
    state.approval !== 'pending' || state.cancelRequest !== undefined || state.amendments.length !== amendmentsBefore;
  if (!(await condition(settled, approvalTimeoutMs))) {
    state.recordEscalation(approvalTimeoutMs);
    await publishDecisionEvent(state, 'decision.escalated', { reason: `no approval within ${approvalTimeoutMs} ms` });
    if (!(await condition(settled, escalationTimeoutMs))) return { kind: 'timed_out' };
  }
  if (state.cancelRequest) return { kind: 'cancelled' };
  if (state.approval === 'rejected')
    return { kind: 'rejected', by: state.audit.approval?.by, reason: state.audit.approval?.reason };
  if (state.approval === 'approved') return { kind: 'approved' };
  return { kind: 'amended' };
}

export type VerificationOutcome =
  | { kind: 'verified' }
  | { kind: 'check_failed'; check: VerificationCheckName; reason: string }
  | { kind: 'timed_out'; reason: string }
  | { kind: 'cancelled' };

/** Submits every receipt for verification and waits for all verdicts (or cancellation, or the timeout). */
export async function awaitVerdicts(state: DecisionState): Promise<VerificationOutcome> {
  const receipts = state.inferences;
  for (const inference of receipts) {
    await activities.requestVerification({
      decisionId: state.decisionId,
      receiptId: inference.receiptId,
      nodeUrl: inference.nodeUrl,
      rows: inference.rows,
      outputs: inference.outputs,
    });
  }
  const timeoutMs = state.settings.verificationTimeoutMs;
  const allIn = await condition(
    () => state.receiptsWithoutVerdict().length === 0 || state.cancelRequest !== undefined,
    timeoutMs,
  );
  if (state.cancelRequest) return { kind: 'cancelled' };
  if (!allIn) {
    const missing = state.receiptsWithoutVerdict().map((r) => r.receiptId);
    return {
      kind: 'timed_out',
      reason: `verification_timeout: no verdict within ${timeoutMs} ms for ${missing.join(', ')}`,
    };
  }
  for (const verdict of state.audit.verifications) {
    // In the verdict's own order (attestation, proof, re-execution): the first failed check names the rollback.
    for (const check of VERIFICATION_CHECK_NAMES) {
      const result = verdict.checks[check];
      if (!acceptsCheck(state.settings, check, result))
        return {
          kind: 'check_failed',
          check,
          reason: `${result.status}: ${result.reason ?? 'no reason given'} (receipt ${verdict.receiptId})`,
        };
    }
  }
  return { kind: 'verified' };
}
