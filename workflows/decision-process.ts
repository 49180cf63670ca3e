// The decision process, top to bottom, for every kind of decision: decide → hold funds → approve → act → verify →
// confirm, or compensate and re-decide with another node. What differs per kind is the plan (procurement.ts,
// routing.ts); the state and its message handlers are in decision-state.ts, the two waits in decision-waits.ts.
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import type { PreviousAttempt } from '../src/contracts/decision';
import {
  DECISION_OUTCOME_REASONS,
  type DecisionOutcome,
  type DecisionOutcomeCode,
  type FailedCheck,
} from '../src/contracts/decision-outcome';
import { FeatureValidationError } from '../src/models/workflow-safe';
import { auditForResult } from './audit-for-result';
import { activities } from './decision-activities';
import { publishDecisionEvent } from './decision-events';
import type { Decided, Decision, DecisionPlan, Funds, FundsHold } from './decision-plan';
import type { DecisionState } from './decision-state';
import { awaitApproval, awaitVerdicts } from './decision-waits';
import { escrowRefund, nodeFaultCompensations, releasesOnVerdict } from './node-fault-compensations';
import { capturePayments } from './payment-capture';
import { Saga, type Compensation } from './saga';

/** Which attempt this run is, and what earlier attempts (rolled back after a failed verification) left behind. */
export type AttemptContext = { attempt: number; excludeNodeIds: string[]; previous?: PreviousAttempt[] };

/** Starts the next attempt as a new run of the same workflow (continue-as-new); never returns. */
export type Restart = (next: AttemptContext) => Promise<never>;

/** An ending other than VERIFIED: the decision compensates, then ends with this code. */
type Ending = { code: Exclude<DecisionOutcomeCode, 'verified'>; reason: string; failedCheck: FailedCheck };

/**
 * Marks histories in which a rollback for any other reason than a failed verification (rejection, cancel, approval
 * timeout, a refused decision, a failed step) also refunds escrowed payments at once; older ones left them held until
 * the escrow's deadline.
 */
export const ESCROW_REFUND_ON_ANY_ROLLBACK = 'escrow-refund-on-any-rollback';

/** Marks histories in which a budget hold follows an amended order value (older ones kept the first hold). */
export const BUDGET_HOLD_FOLLOWS_AMENDMENT = 'budget-hold-follows-amendment';

export async function runDecisionProcess<
  Choice extends Record<string, unknown>,
  Action extends { type: string },
  Hold extends FundsHold = never,
>(
  state: DecisionState,
  plan: DecisionPlan<Choice, Action, Hold>,
  context: AttemptContext,
  restart: Restart,
): Promise<DecisionOutcome> {
  const saga = new Saga();
  try {
    return await decideActVerify(state, plan, saga, context, restart);
  } catch (error) {
    // An activity that failed for good (non-retryable, or out of time) must not leave effects behind: without this the
    // workflow would fail with its holds and orders in place and no event saying so.
    if (!(error instanceof ActivityFailure)) throw error;
    if (state.isFinished()) return finalOutcome(state);
    const reason = `activity_failed: ${error.activityType ?? 'activity'}: ${error.cause?.message ?? error.message}`;
    return compensate(state, saga, { code: 'activity_failed', reason, failedCheck: 'activity' });
  }
}

async function decideActVerify<
  Choice extends Record<string, unknown>,
  Action extends { type: string },
  Hold extends FundsHold,
>(
  state: DecisionState,
  plan: DecisionPlan<Choice, Action, Hold>,
  saga: Saga,
  context: AttemptContext,
  restart: Restart,
): Promise<DecisionOutcome> {
  // 1. Decide, hold funds and get approval; an amendment before acting starts another round.
  let decision: Decision<Choice> | undefined;
  let hold: Hold | undefined;
  for (let round = 0; decision === undefined; round++) {
    state.startRound(round);
    // Counted before deciding: an amendment that arrives while this round pays and scores triggers another round.
    const amendmentsBefore = state.amendments.length;
    state.setStatus('PAYING', round === 0 ? 'paying for inference' : `re-deciding after amendment ${round}`);
    const decided = await decideOrRefuse(plan, round);
    if (!decided.ok)
      return compensate(state, saga, { code: decided.code, reason: decided.reason, failedCheck: 'decision' });
    const candidate: Decision<Choice> = {
      orderValue: decided.orderValue,
      counterparty: decided.counterparty,
      choice: decided.choice,
    };
    state.recordDecision(candidate);
    hold = await holdFunds(plan.funds, saga, candidate, round, hold);
    if (state.cancelRequest) return cancelled(state, saga);

    const approval = await awaitApproval(state, candidate.orderValue);
    if (approval.kind === 'cancelled') return cancelled(state, saga);
    if (approval.kind === 'rejected')
      return compensate(state, saga, {
        code: 'approval_rejected',
        reason: `rejected by ${approval.by}: ${approval.reason}`,
        failedCheck: 'approval',
      });
    if (approval.kind === 'timed_out')
      return compensate(state, saga, {
        code: 'approval_timeout',
        reason: 'approval_timeout: no approval after escalation',
        failedCheck: 'approval',
      });
    if (state.amendments.length === amendmentsBefore) decision = candidate;
    else state.reopenApproval(); // an amended order is a new order: it needs its own approval
  }

  // 2. Act: from here the order is being placed, and approvals and amendments are refused.
  state.startActing();
  const acted = await plan.act(decision, hold);
  saga.add(acted.undo);
  state.recordAction(acted.action.type, acted.reference);
  state.setStatus('ACTED', `${acted.action.type} ${acted.reference}`);
  const action = { ...acted.action, reference: acted.reference };
  await publishDecisionEvent(state, 'decision.acted', { action });

  // 3. Verify every paid inference.
  state.setStatus('VERIFYING', `waiting for ${state.inferences.length} verdict(s)`);
  const verification = await awaitVerdicts(state);
  if (verification.kind === 'cancelled') return cancelled(state, saga);

  // 4a. Trustworthy: confirm the order, then (escrow mode) capture each payment to its node.
  if (verification.kind === 'verified') {
    await plan.confirm(acted);
    await capturePayments(state);
    state.recordOutcome({ status: 'VERIFIED', code: 'verified' });
    state.setStatus('VERIFIED', `all checks passed; ${acted.reference} confirmed`);
    await publishDecisionEvent(state, 'decision.verified', { code: 'verified', action });
    return finalOutcome(state, acted.reference);
  }

  // 4b. Not trustworthy: undo what we did (newest first), then refund (escrow) or dispute each payment and flag the node.
  const ending: Ending =
    verification.kind === 'timed_out'
      ? { code: 'verification_timeout', reason: verification.reason, failedCheck: 'verification' }
      : { code: 'verification_failed', reason: verification.reason, failedCheck: verification.check };
  const rolledBack = await compensate(
    state,
    saga,
    ending,
    nodeFaultCompensations(state.decisionId, state.inferences, ending.reason),
  );

  // 5. Re-decide with another node, which must serve the same models (content ids): one without them would only fail again.
  const failedNodes = [...new Set([...context.excludeNodeIds, ...state.inferences.map((i) => i.nodeId)])];
  const modelIds = [...new Set(state.inferences.map((i) => i.modelId))];
  if (
    state.attempt < state.settings.maxAttempts &&
    (await activities.hasAlternateNode({ excludeNodeIds: failedNodes, modelIds }))
  ) {
    await restart({
      attempt: state.attempt + 1,
      excludeNodeIds: failedNodes,
      previous: [...(context.previous ?? []), state.summary()],
    });
  }
  return rolledBack;
}

async function decideOrRefuse<Choice extends Record<string, unknown>>(
  plan: { decide(round: number): Promise<Decided<Choice>> },
  round: number,
): Promise<Decided<Choice>> {
  try {
    return await plan.decide(round);
  } catch (error) {
    // Bad input the schemas could not catch (e.g. a feature builder's range check) fails the decision, not the task.
    if (error instanceof ApplicationFailure) throw error;
    if (error instanceof FeatureValidationError)
      return { ok: false, code: 'invalid_features', reason: `invalid_features: ${error.message}` };
    throw error;
  }
}

/**
 * The budget hold follows the order value. Round 0 holds the decided value. When an amendment changes the value, the
 * old hold is released and a new hold for the new value is taken in the new round (the ERP gives it its own id), so
 * the approver sees, and the budget blocks, what will be ordered. An unchanged value keeps its hold.
 */
async function holdFunds<Choice, Hold extends FundsHold>(
  funds: Funds<Choice, Hold> | undefined,
  saga: Saga,
  decision: Decision<Choice>,
  round: number,
  current: Hold | undefined,
): Promise<Hold | undefined> {
  if (!funds) return undefined;
  if (current !== undefined) {
    if (current.amount === decision.orderValue) return current;
    // Histories recorded before this rule kept the first hold through amendments: they replay without these steps.
    if (!patched(BUDGET_HOLD_FOLLOWS_AMENDMENT)) return current;
    saga.discard('releaseBudget', current.holdId);
    await funds.release(
      current,
      `order amended in round ${round}: value ${current.amount} became ${decision.orderValue}`,
    );
  }
  const hold = await funds.hold(decision, round);
  const release: Compensation = {
    action: 'releaseBudget',
    reference: hold.holdId,
    run: () => funds.release(hold, 'decision rolled back'),
  };
  saga.add(release);
  return hold;
}

function cancelled(state: DecisionState, saga: Saga): Promise<DecisionOutcome> {
  const reason = `cancelled by ${state.cancelRequest?.requestedBy}: ${state.cancelRequest?.reason}`;
  return compensate(state, saga, { code: 'cancelled', reason, failedCheck: 'cancelled' });
}

/**
 * A rollback the node did not cause (the answer was never found wrong) still owes the payer nothing it did not use:
 * each escrowed payment is refunded now rather than held until the escrow's deadline. The node is not flagged and no
 * dispute is recorded. Only the verifier can sign the refund, which the worker's refundPayment activity does.
 */
function escrowRefundsOnRollback(state: DecisionState, reason: string): Compensation[] {
  const escrowed = state.inferences.filter((i) => releasesOnVerdict(i.settlementMode));
  if (escrowed.length === 0 || !patched(ESCROW_REFUND_ON_ANY_ROLLBACK)) return [];
  return escrowed.map((inference) => escrowRefund(state.decisionId, inference, `decision rolled back: ${reason}`));
}

/**
 * Undoes every recorded step newest first, then runs `afterwards` in order (refund or dispute, flag), and says so on
 * Kafka. Without `afterwards` (no node at fault) the escrowed payments are refunded.
 */
async function compensate(
  state: DecisionState,
  saga: Saga,
  ending: Ending,
  afterwards?: Compensation[],
): Promise<DecisionOutcome> {
  const { code, reason, failedCheck } = ending;
  const { status, event } = DECISION_OUTCOME_REASONS[code];
  state.setStatus(status, `compensating: ${reason}`);
  const outcomes = await saga.compensate(afterwards ?? escrowRefundsOnRollback(state, reason));
  state.recordCompensations(outcomes);
  state.recordOutcome({ status, code, reason, failedCheck });
  state.setStatus(status, `${failedCheck} failed: ${reason}`);
  await publishDecisionEvent(state, event, { code, reason, failedCheck, compensations: outcomes });
  return finalOutcome(state);
}

/** The workflow's result: the recorded outcome and the final audit, so a closed decision can be read without a worker. */
function finalOutcome(state: DecisionState, reference?: string): DecisionOutcome {
  const {
    status,
    code = 'activity_failed',
    reason,
    failedCheck,
  } = state.audit.outcome ?? { status: state.audit.status };
  return {
    decisionId: state.decisionId,
    status,
    attempt: state.attempt,
    code,
    ...(reason !== undefined ? { reason } : {}),
    ...(failedCheck !== undefined ? { failedCheck } : {}),
    ...(reference !== undefined ? { reference } : {}),
    audit: auditForResult(state.audit),
  };
}
