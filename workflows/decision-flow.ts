// The life of every decision, whatever it decides: decide (pay + infer + policy), wait for approval when it is large,
// act, verify, then confirm or compensate; re-decide once with another node when verification failed.
import { ActivityFailure, ApplicationFailure, condition, continueAsNew } from '@temporalio/workflow';
import type { DecisionSettings, DecisionStatusValue, InferenceRecord, PreviousAttempt } from '../src/contracts/decision';
import { activities, compensations, type DecisionRun } from './decision-run';
import type { Compensation } from './saga';

export type Decided =
  | { ok: true; orderValue: number; counterparty: string; choice: Record<string, unknown> }
  | { ok: false; reason: string };

export type Acted = { reference: string; action: Record<string, unknown> };

/** What differs between procurement and routing. */
export type DecisionPlan = {
  /** Pays for the inferences it needs and applies the policy; `round` changes after an amendment. */
  decide(run: DecisionRun, round: number): Promise<Decided>;
  /** Effects before approval that must be undone on reject/cancel (e.g. a budget hold). */
  reserveFunds?(run: DecisionRun, decided: Extract<Decided, { ok: true }>): Promise<void>;
  act(run: DecisionRun, decided: Extract<Decided, { ok: true }>): Promise<Acted>;
  confirm(run: DecisionRun, acted: Acted): Promise<void>;
};

export type DecisionOutcome = { decisionId: string; status: DecisionStatusValue; attempt: number; reason?: string; failedCheck?: string; reference?: string };

export type AttemptContext = { attempt: number; excludeNodeIds: string[]; previous?: PreviousAttempt[] };

type Outcome = (status: DecisionStatusValue, extra?: Partial<DecisionOutcome>) => DecisionOutcome;

export async function runDecision(run: DecisionRun, plan: DecisionPlan, context: AttemptContext, restart: (next: AttemptContext) => unknown[]): Promise<DecisionOutcome> {
  const outcome: Outcome = (status, extra = {}) => ({ decisionId: run.decisionId, status, attempt: run.attempt, ...extra });
  try {
    return await runSteps(run, plan, context, restart, outcome);
  } catch (error) {
    // An activity that failed for good (non-retryable, or out of time) must not leave effects behind: without this the
    // workflow would fail with its holds and orders in place and no event saying so.
    if (!(error instanceof ActivityFailure)) throw error;
    const reason = `activity_failed: ${error.activityType ?? 'activity'}: ${error.cause?.message ?? error.message}`;
    if (run.isFinished()) return outcome(run.audit.status, { reason: run.audit.outcome?.reason, failedCheck: run.audit.outcome?.failedCheck });
    await run.rollBack('FAILED', reason, 'activity');
    return outcome('FAILED', { reason, failedCheck: 'activity' });
  }
}

async function runSteps(run: DecisionRun, plan: DecisionPlan, context: AttemptContext, restart: (next: AttemptContext) => unknown[], outcome: Outcome): Promise<DecisionOutcome> {
  let decided: Decided;
  for (let round = 0; ; round++) {
    run.round = round;
    // Counted before deciding: an amendment that arrives while this round pays and scores triggers another round.
    const amendmentsBefore = run.amendments.length;
    run.setStatus('PAYING', round === 0 ? 'paying for inference' : `re-deciding after amendment ${round}`);
    decided = await decideOrFail(run, plan, round);
    if (!decided.ok) {
      await run.rollBack('FAILED', decided.reason, 'decision');
      return outcome('FAILED', { reason: decided.reason });
    }
    run.orderValue = decided.orderValue;
    run.counterparty = decided.counterparty;
    run.audit.choice = decided.choice;
    if (round === 0 && plan.reserveFunds) await plan.reserveFunds(run, decided);
    if (run.cancelRequest) return cancelled(run, outcome);
    const approval = await awaitApprovalIfNeeded(run, decided.orderValue, run.settings);
    if (run.cancelRequest) return cancelled(run, outcome);
    if (approval === 'rejected' || approval === 'timed_out') {
      const reason = approval === 'rejected' ? `rejected by ${run.audit.approval?.by}: ${run.audit.approval?.reason}` : 'approval_timeout: no approval after escalation';
      await run.rollBack('ROLLED_BACK', reason, 'approval');
      return outcome('ROLLED_BACK', { reason, failedCheck: 'approval' });
    }
    if (run.amendments.length === amendmentsBefore) break;
    run.approval = 'pending'; // an amended order is a new order: it needs its own approval
  }

  // From here the order is being placed: approvals and amendments are refused (the validators read this flag).
  run.acting = true;
  const acted = await plan.act(run, decided);
  run.audit.actions.push({ action: String(acted.action.type), reference: acted.reference, at: new Date().toISOString() });
  run.setStatus('ACTED', `${String(acted.action.type)} ${acted.reference}`);
  await run.publish('decision.acted', { action: { ...acted.action, reference: acted.reference } });

  run.setStatus('VERIFYING', `waiting for ${run.audit.inferences.length} verdict(s)`);
  const verification = await run.awaitVerification();
  if (verification.ok) {
    await plan.confirm(run, acted);
    await capturePayments(run);
    run.audit.outcome = { status: 'VERIFIED' };
    run.setStatus('VERIFIED', `all checks passed; ${acted.reference} confirmed`);
    await run.publish('decision.verified', { action: { ...acted.action, reference: acted.reference } });
    return outcome('VERIFIED', { reference: acted.reference });
  }
  if (verification.failedCheck === 'cancelled') return cancelled(run, outcome);

  // The node's answer is not trustworthy: undo what we did (newest first), then take each payment back (escrow mode:
  // refund from escrow) or, where it cannot be taken back, dispute it on chain; and flag the node.
  const disputes: Compensation[] = run.audit.inferences.map((inference) => paymentCompensation(run, inference, verification.reason));
  const flaggedNodes = [...new Map(run.audit.inferences.map((i) => [i.nodeId, i])).values()];
  const flags: Compensation[] = flaggedNodes.map((inference) => ({
    action: 'flagNode', reference: inference.nodeId,
    run: async () => void (await compensations.flagNode({ decisionId: run.decisionId, nodeId: inference.nodeId, receiptId: inference.receiptId, reason: verification.reason })),
  }));
  const nodeFaults = [...disputes, ...flags];
  await run.rollBack('ROLLED_BACK', verification.reason, verification.failedCheck, nodeFaults);
  const failedNodes = [...new Set([...context.excludeNodeIds, ...run.audit.inferences.map((i) => i.nodeId)])];
  // Another node must serve the same models (content ids): re-deciding on a node without them would only fail again.
  const modelIds = [...new Set(run.audit.inferences.map((i) => i.modelId))];
  if (run.attempt < run.settings.maxAttempts && (await activities.hasAlternateNode({ excludeNodeIds: failedNodes, modelIds }))) {
    await continueAsNew(...restart({ attempt: run.attempt + 1, excludeNodeIds: failedNodes, previous: [...(context.previous ?? []), run.summary()] }));
  }
  return outcome('ROLLED_BACK', { reason: verification.reason, failedCheck: verification.failedCheck });
}

/** Escrowed payments are refunded to the payer; others were final on transfer, so the dispute is all there is. */
function paymentCompensation(run: DecisionRun, inference: InferenceRecord, reason: string): Compensation {
  const { decisionId } = run;
  const { nodeId, nodeUrl, paymentRef, receiptId } = inference;
  if (inference.settlementMode === 'escrow') {
    return {
      action: 'refundPayment', reference: paymentRef,
      run: async () => {
        const refunded = await compensations.refundPayment({ decisionId, nodeUrl, receiptId, paymentRef, reason });
        return { transaction: refunded.transaction, note: refunded.alreadyDone ? 'refunded to the payer from escrow (earlier)' : 'refunded to the payer from escrow' };
      },
    };
  }
  return {
    action: 'disputePayment', reference: paymentRef,
    run: async () => {
      const disputed = await compensations.disputePayment({ decisionId, nodeId, paymentRef, receiptId, reason });
      return { transaction: disputed.reference, note: `dispute recorded on chain; the money was NOT recovered (${inference.settlementMode ?? 'non-escrow'} mode: the transfer to the node is final)` };
    },
  };
}

/** Verified: escrowed payments go to the node. A capture the escrow refuses (deadline passed) is noted, not fatal. */
async function capturePayments(run: DecisionRun): Promise<void> {
  for (const inference of run.audit.inferences.filter((i) => i.settlementMode === 'escrow')) {
    try {
      const captured = await compensations.capturePayment({ decisionId: run.decisionId, nodeUrl: inference.nodeUrl, receiptId: inference.receiptId, paymentRef: inference.paymentRef });
      run.audit.actions.push({ action: 'capturePayment', reference: captured.transaction ?? inference.paymentRef, at: new Date().toISOString() });
      run.note('payment_captured', { paymentRef: inference.paymentRef, transaction: captured.transaction });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      run.note('payment_capture_failed', { paymentRef: inference.paymentRef, error: error.cause?.message ?? error.message });
    }
  }
}

async function decideOrFail(run: DecisionRun, plan: DecisionPlan, round: number): Promise<Decided> {
  try {
    return await plan.decide(run, round);
  } catch (error) {
    // Bad input the schemas could not catch (e.g. a feature builder's range check) fails the decision, not the task.
    if (error instanceof ApplicationFailure) throw error;
    if (error instanceof Error && error.name === 'FeatureValidationError') return { ok: false, reason: `invalid_features: ${error.message}` };
    throw error;
  }
}

async function awaitApprovalIfNeeded(run: DecisionRun, orderValue: number, settings: DecisionSettings): Promise<'not_required' | 'approved' | 'rejected' | 'timed_out'> {
  if (orderValue <= settings.approvalThreshold) {
    run.audit.approval ??= { outcome: 'not_required' };
    return 'not_required';
  }
  run.setStatus('AWAITING_APPROVAL', `order value ${orderValue} exceeds ${settings.approvalThreshold}; waiting for the ERP`);
  await run.publish('decision.awaiting_approval', {});
  const amendments = run.amendments.length;
  const settled = () => run.approval !== 'pending' || run.cancelRequest !== undefined || run.amendments.length !== amendments;
  if (!(await condition(settled, settings.approvalTimeoutMs))) {
    run.audit.approval = { outcome: 'escalated' };
    run.note('escalated', { afterMs: settings.approvalTimeoutMs });
    await run.publish('decision.escalated', { reason: `no approval within ${settings.approvalTimeoutMs} ms` });
    if (!(await condition(settled, settings.escalationTimeoutMs))) return 'timed_out';
  }
  return run.approval === 'pending' ? 'approved' : run.approval; // 'pending' here means cancelled or amended: the caller checks those
}

async function cancelled(run: DecisionRun, outcome: Outcome): Promise<DecisionOutcome> {
  const reason = `cancelled by ${run.cancelRequest?.requestedBy}: ${run.cancelRequest?.reason}`;
  await run.rollBack('ROLLED_BACK', reason, 'cancelled');
  return outcome('ROLLED_BACK', { reason, failedCheck: 'cancelled' });
}
