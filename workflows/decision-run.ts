// The shared machinery of a decision workflow: state, visibility (search attributes, details), ERP/ops handlers,
// paid inference records, verification waiting and saga compensation. The workflows use it to read like the process.
import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  acceptsCheck,
  AmendUpdateSchema,
  ApproveUpdateSchema,
  CancelSignalSchema,
  RejectUpdateSchema,
  type AmendUpdate,
  type CancelSignal,
  type DecisionAudit,
  type DecisionKind,
  type DecisionSettings,
  type DecisionStatusValue,
  type InferenceRecord,
  type PreviousAttempt,
} from '../src/contracts/decision';
import type { DecisionEventType } from '../src/contracts/events';
import { Counterparty, DecisionKind as DecisionKindKey, DecisionStatus, ModelIds, NodeId, OrderValue } from '../src/contracts/search-attributes';
import { VerdictSchema } from '../src/contracts/verdict';
import type { createActivities } from '../activities';
import { amendUpdate, approveUpdate, auditQuery, cancelSignal, rejectUpdate, statusQuery, verdictSignal } from './definitions';
import { Saga, type Compensation, type CompensationOutcome } from './saga';

import { NON_RETRYABLE } from './activity-errors';

type Activities = ReturnType<typeof createActivities>;

const baseOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
};

export const activities = proxyActivities<Activities>(baseOptions);
const PAY_AND_INFER_DEADLINE = '10 minutes';
/** Compensations must eventually succeed: retry without a limit on attempts, with a long backoff ceiling. */
export const compensations = proxyActivities<Activities>({ ...baseOptions, retry: { ...baseOptions.retry, maximumInterval: '1 minute' } });

export class DecisionRun {
  readonly decisionId = workflowInfo().workflowId;
  readonly audit: DecisionAudit;
  readonly saga = new Saga();
  approval: 'pending' | 'approved' | 'rejected' = 'pending';
  /** The decide/approve round (amendments start a new one); scopes events that can repeat per round. */
  round = 0;
  /** Set when the decision starts acting: no approval or amendment can change it any more. */
  acting = false;
  cancelRequest?: CancelSignal;
  amendments: AmendUpdate[] = [];
  private detail = 'starting';

  constructor(readonly kind: DecisionKind, input: unknown, readonly settings: DecisionSettings, readonly attempt: number, previousAttempts?: PreviousAttempt[]) {
    this.audit = {
      decisionId: this.decisionId, kind, status: 'PAYING', input, inferences: [], actions: [], compensations: [], verifications: [],
      attempts: attempt, ...(previousAttempts?.length ? { previousAttempts } : {}), timings: { startedAt: now() }, trail: [],
    };
    this.registerHandlers();
  }

  private registerHandlers(): void {
    setHandler(statusQuery, () => ({
      decisionId: this.decisionId, kind: this.kind, status: this.audit.status, detail: this.detail,
      nodeId: this.audit.inferences.at(-1)?.nodeId, orderValue: this.orderValue, counterparty: this.counterparty,
    }));
    setHandler(auditQuery, () => this.audit);
    setHandler(cancelSignal, (request) => {
      const parsed = CancelSignalSchema.safeParse(request);
      // Signals cannot be rejected back to the sender; an invalid one is recorded and ignored.
      if (!parsed.success) return this.note('cancel_ignored', { reason: 'invalid cancel signal', issues: parsed.error.issues.map((i) => i.message) });
      if (this.isFinished()) return this.note('cancel_ignored', { reason: `decision already ${this.audit.status}` });
      this.cancelRequest ??= parsed.data;
      this.note('cancel_requested', parsed.data);
    });
    setHandler(verdictSignal, (verdict) => {
      const parsed = VerdictSchema.safeParse(verdict);
      if (!parsed.success) return this.note('verdict_ignored', { reason: 'invalid verdict' });
      const known = this.audit.inferences.some((i) => i.receiptId === parsed.data.receiptId);
      const already = this.audit.verifications.some((v) => v.receiptId === parsed.data.receiptId);
      if (!known || already) return;
      const { checks, verifiedAt, receiptId } = parsed.data;
      this.audit.verifications.push({ receiptId, verifiedAt, checks });
      this.note('verdict_received', { receiptId, verified: parsed.data.verified });
    });
    setHandler(
      approveUpdate,
      (request) => {
        this.approval = 'approved';
        this.audit.approval = { outcome: 'approved', by: request.approver, reason: request.comment };
        this.note('approved', request);
        return { accepted: true as const, status: this.audit.status };
      },
      { validator: (request) => this.validateApproval(ApproveUpdateSchema, request) },
    );
    setHandler(
      rejectUpdate,
      (request) => {
        this.approval = 'rejected';
        this.audit.approval = { outcome: 'rejected', by: request.approver, reason: request.reason };
        this.note('rejected', request);
        return { accepted: true as const, status: this.audit.status };
      },
      { validator: (request) => this.validateApproval(RejectUpdateSchema, request) },
    );
    setHandler(
      amendUpdate,
      (request) => {
        this.amendments.push(request);
        this.note('amended', request);
        return { accepted: true as const, amendments: this.amendments.length };
      },
      {
        validator: (request) => {
          validate(AmendUpdateSchema, request, 'amend');
          if (this.acting || (this.audit.status !== 'PAYING' && this.audit.status !== 'AWAITING_APPROVAL')) {
            throw ApplicationFailure.create({ type: 'AmendNotAllowed', message: `cannot amend a decision that is ${this.audit.status}; amend before it acts`, nonRetryable: true });
          }
          if (this.kind === 'procurement' && request.promisedBy !== undefined) reject('AmendInvalid', 'promisedBy applies to routing decisions');
          if (this.kind === 'routing' && (request.quantity !== undefined || request.neededBy !== undefined)) reject('AmendInvalid', 'quantity and neededBy apply to procurement decisions');
        },
      },
    );
  }

  private validateApproval(schema: typeof ApproveUpdateSchema | typeof RejectUpdateSchema, request: unknown): void {
    validate(schema, request, 'approval');
    if (this.audit.status !== 'AWAITING_APPROVAL' || this.approval !== 'pending' || this.acting) {
      reject('ApprovalNotPending', `decision ${this.decisionId} is ${this.audit.status}${this.approval !== 'pending' ? ` and already ${this.approval}` : ''}, not awaiting approval`);
    }
  }

  orderValue?: number;
  counterparty?: string;

  /** Moves the decision to a new status: search attributes for the UI query language, details for the UI page. */
  setStatus(status: DecisionStatusValue, detail: string): void {
    this.audit.status = status;
    this.detail = detail;
    this.audit.timings[status] = now();
    const models = [...new Set(this.audit.inferences.map((i) => i.modelId))];
    const nodeId = this.audit.inferences.at(-1)?.nodeId;
    upsertSearchAttributes([
      { key: DecisionKindKey, value: this.kind },
      { key: DecisionStatus, value: status },
      ...(models.length ? [{ key: ModelIds, value: models }] : []),
      ...(nodeId ? [{ key: NodeId, value: nodeId }] : []),
      ...(this.counterparty ? [{ key: Counterparty, value: this.counterparty }] : []),
      ...(this.orderValue !== undefined ? [{ key: OrderValue, value: this.orderValue }] : []),
    ] as Parameters<typeof upsertSearchAttributes>[0]);
    setCurrentDetails(`**${status}** — ${detail}`);
    this.note('status', { status, detail });
  }

  /** This attempt as the next one's audit will show it. */
  summary(): PreviousAttempt {
    return {
      attempt: this.attempt,
      outcome: this.audit.outcome,
      inferences: this.audit.inferences.map(({ receiptId, modelId, nodeId, paymentRef }) => ({ receiptId, modelId, nodeId, paymentRef })),
      actions: this.audit.actions,
      verifications: this.audit.verifications.map(({ receiptId, checks }) => ({ receiptId, checks })),
      compensations: this.audit.compensations.map(({ action, reference, outcome, error }) => ({ action, reference, outcome, ...(error ? { error } : {}) })),
    };
  }

  note(step: string, detail: object): void {
    this.audit.trail.push({ at: now(), step, detail: detail as Record<string, unknown> });
  }

  isFinished(): boolean {
    return ['VERIFIED', 'ROLLED_BACK', 'FAILED'].includes(this.audit.status);
  }

  /** Pays a node for one inference; the idempotency key makes a retried activity re-present the same payment. */
  async payAndInfer(step: string, modelName: string, rows: number[][], excludeNodeIds: string[]): Promise<InferenceRecord> {
    // Bounded: with no node able to answer, the decision fails (and says so) instead of paying forever.
    const record = await activities.payAndInfer.executeWithOptions({ ...baseOptions, scheduleToCloseTimeout: PAY_AND_INFER_DEADLINE, summary: `pay ${modelName} inference (${rows.length} rows)` }, [{
      decisionId: this.decisionId,
      idempotencyKey: `${this.decisionId}/${this.attempt}/${step}`,
      issuedAt: now(),
      step, modelName, rows, excludeNodeIds,
    }]);
    this.audit.inferences.push(record);
    this.note('inferred', { step, modelId: record.modelId, nodeId: record.nodeId, receiptId: record.receiptId, paymentRef: record.paymentRef });
    return record;
  }

  async publish(type: DecisionEventType, data: { reason?: string; failedCheck?: string; action?: Record<string, unknown>; compensations?: CompensationOutcome[] }): Promise<void> {
    await activities.publishDecisionEvent({
      decisionId: this.decisionId, kind: this.kind, type, attempt: this.attempt, round: this.round, status: this.audit.status, time: now(), ...data,
      receipts: this.audit.inferences.map(({ receiptId, modelId, nodeId, paymentRef }) => ({ receiptId, modelId, nodeId, paymentRef })),
    });
  }

  /** Submits every receipt for verification and waits for all verdicts (or cancellation, or the timeout). */
  async awaitVerification(): Promise<{ ok: true } | { ok: false; failedCheck: string; reason: string }> {
    const receipts = this.audit.inferences;
    for (const inference of receipts) {
      await activities.requestVerification({ decisionId: this.decisionId, receiptId: inference.receiptId, nodeUrl: inference.nodeUrl, rows: inference.rows, outputs: inference.outputs });
    }
    const allIn = () => receipts.every((r) => this.audit.verifications.some((v) => v.receiptId === r.receiptId));
    const done = await condition(() => allIn() || this.cancelRequest !== undefined, this.settings.verificationTimeoutMs);
    if (this.cancelRequest) return { ok: false, failedCheck: 'cancelled', reason: this.cancelRequest.reason };
    if (!done) {
      const missing = receipts.filter((r) => !this.audit.verifications.some((v) => v.receiptId === r.receiptId)).map((r) => r.receiptId);
      return { ok: false, failedCheck: 'verification', reason: `verification_timeout: no verdict within ${this.settings.verificationTimeoutMs} ms for ${missing.join(', ')}` };
    }
    for (const verdict of this.audit.verifications) {
      for (const [check, result] of Object.entries(verdict.checks)) {
        if (!acceptsCheck(this.settings, check, result)) return { ok: false, failedCheck: check, reason: `${result.status}: ${result.reason ?? 'no reason given'} (receipt ${verdict.receiptId})` };
      }
    }
    return { ok: true };
  }

  /** Undoes every recorded step newest first, then runs `afterwards` in order (dispute, flag), and says so on Kafka. */
  async rollBack(status: 'ROLLED_BACK' | 'FAILED', reason: string, failedCheck?: string, afterwards: Compensation[] = []): Promise<CompensationOutcome[]> {
    this.setStatus(status, `compensating: ${reason}`);
    const outcomes = await this.saga.compensate(afterwards);
    this.audit.compensations.push(...outcomes.map((o) => ({ ...o, at: now() })));
    this.audit.outcome = { status, reason, failedCheck };
    this.setStatus(status, `${failedCheck ? `${failedCheck} failed: ` : ''}${reason}`);
    await this.publish(status === 'ROLLED_BACK' ? 'decision.rolled_back' : 'decision.failed', { reason, failedCheck, compensations: outcomes });
    return outcomes;
  }
}

function now(): string {
  return new Date().toISOString(); // workflow time: deterministic on replay
}

function reject(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Validates inside the workflow without letting a ZodError escape (which would retry the workflow task forever). */
export function validate<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`);
  throw ApplicationFailure.create({ type: 'InvalidInput', message: `invalid ${what}: ${issues.join('; ')}`, nonRetryable: true, details: issues });
}

