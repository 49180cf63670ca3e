// The state of one decision attempt and the messages that change it: the ERP/ops handlers (approve, reject, amend,
// cancel, verdict, status, audit), the audit record, and visibility (search attributes, current details). The process
// (decision-process.ts) changes it only through the methods below.
import { setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
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
import {
  amendUpdate,
  approveUpdate,
  auditQuery,
  cancelSignal,
  rejectUpdate,
  statusQuery,
  verdictSignal,
} from '../src/contracts/decision-messages';
import type { DecisionOutcomeCode, FailedCheck } from '../src/contracts/decision-outcome';
import {
  Counterparty,
  DecisionKind as DecisionKindKey,
  DecisionStatus,
  ModelIds,
  NodeId,
  OrderValue,
} from '../src/contracts/search-attributes';
import { VerdictSchema } from '../src/contracts/verdict';
import { checkVerdictSignature } from '../src/contracts/verdict-signature';
import type { CompensationOutcome } from './saga';
import { refuseUpdate, validate } from './validate';

/** The ERP's answer for the current round. */
export type ApprovalState = 'pending' | 'approved' | 'rejected';

const FINAL_STATUSES: readonly DecisionStatusValue[] = ['VERIFIED', 'ROLLED_BACK', 'FAILED'];

export class DecisionState {
  readonly decisionId = workflowInfo().workflowId;
  readonly audit: Readonly<DecisionAudit>;
  private readonly record: DecisionAudit;
  private approvalState: ApprovalState = 'pending';
  private currentRound = 0;
  private acting = false;
  private cancel?: CancelSignal;
  private readonly amendmentList: AmendUpdate[] = [];
  private detail = 'starting';
  private orderValue?: number;
  private counterparty?: string;

  constructor(
    readonly kind: DecisionKind,
    input: unknown,
    readonly settings: DecisionSettings,
    readonly attempt: number,
    previousAttempts?: PreviousAttempt[],
  ) {
    this.record = {
      decisionId: this.decisionId,
      kind,
      status: 'PAYING',
      input,
      inferences: [],
      actions: [],
      compensations: [],
      verifications: [],
      attempts: attempt,
      ...(previousAttempts?.length ? { previousAttempts } : {}),
      timings: { startedAt: now() },
      trail: [],
    };
    this.audit = this.record;
    this.registerHandlers();
  }

  // ---- what the process reads ----------------------------------------------------------------------------------

  /** The decide/approve round (an amendment starts a new one); scopes events that can repeat per round. */
  get round(): number {
    return this.currentRound;
  }
  get approval(): ApprovalState {
    return this.approvalState;
  }
  get cancelRequest(): CancelSignal | undefined {
    return this.cancel;
  }
  get amendments(): readonly AmendUpdate[] {
    return this.amendmentList;
  }
  get inferences(): readonly InferenceRecord[] {
    return this.record.inferences;
  }
  isFinished(): boolean {
    return FINAL_STATUSES.includes(this.record.status);
  }
  /** Receipts that have no verdict yet. */
  receiptsWithoutVerdict(): InferenceRecord[] {
    return this.record.inferences.filter((r) => !this.record.verifications.some((v) => v.receiptId === r.receiptId));
  }

  // ---- what the process records ----------------------------------------------------------------------------------

  /** A new decide/approve round: round 0, or the number of amendments handled so far. */
  startRound(round: number): void {
    this.currentRound = round;
  }
  /** After an amendment the order is a new order: it needs its own approval. */
  reopenApproval(): void {
    this.approvalState = 'pending';
  }
  recordInference(record: InferenceRecord): void {
    this.record.inferences.push(record);
    this.note('inferred', {
      step: record.step,
      modelId: record.modelId,
      nodeId: record.nodeId,
      receiptId: record.receiptId,
      paymentRef: record.paymentRef,
    });
  }
  recordDecision(decision: { orderValue: number; counterparty: string; choice: Record<string, unknown> }): void {
    this.orderValue = decision.orderValue;
    this.counterparty = decision.counterparty;
    this.record.choice = decision.choice;
  }
  recordApprovalNotRequired(): void {
    this.record.approval ??= { outcome: 'not_required' };
  }
  recordEscalation(afterMs: number): void {
    this.record.approval = { outcome: 'escalated' };
    this.note('escalated', { afterMs });
  }
  /** From here the order is being placed: approvals and amendments are refused (their validators read this). */
  startActing(): void {
    this.acting = true;
  }
  recordAction(action: string, reference: string): void {
    this.record.actions.push({ action, reference, at: now() });
  }
  recordCompensations(outcomes: readonly CompensationOutcome[]): void {
    this.record.compensations.push(...outcomes.map((o) => ({ ...o, at: now() })));
  }
  recordOutcome(outcome: {
    status: DecisionStatusValue;
    code: DecisionOutcomeCode;
    reason?: string;
    failedCheck?: FailedCheck;
  }): void {
    this.record.outcome = outcome;
  }

  /** Moves the decision to a new status: search attributes for the UI query language, details for the UI page. */
  setStatus(status: DecisionStatusValue, detail: string): void {
    this.record.status = status;
    this.detail = detail;
    this.record.timings[status] = now();
    const models = [...new Set(this.record.inferences.map((i) => i.modelId))];
    const nodeId = this.record.inferences.at(-1)?.nodeId;
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

  note(step: string, detail: object): void {
    this.record.trail.push({ at: now(), step, detail: detail as Record<string, unknown> });
  }

  /** This attempt as the next one's audit will show it. */
  summary(): PreviousAttempt {
    const { outcome, inferences, actions, verifications, compensations } = this.record;
    return {
      attempt: this.attempt,
      outcome,
      inferences: inferences.map(({ receiptId, modelId, nodeId, paymentRef }) => ({
        receiptId,
        modelId,
        nodeId,
        paymentRef,
      })),
      actions,
      verifications: verifications.map(({ receiptId, checks }) => ({ receiptId, checks })),
      compensations: compensations.map(({ action, reference, outcome, error }) => ({
        action,
        reference,
        outcome,
        ...(error ? { error } : {}),
      })),
    };
  }

  // ---- messages from the ERP, ops and the verifier ----------------------------------------------------------------

  private registerHandlers(): void {
    setHandler(statusQuery, () => ({
      decisionId: this.decisionId,
      kind: this.kind,
      status: this.record.status,
      detail: this.detail,
      nodeId: this.record.inferences.at(-1)?.nodeId,
      orderValue: this.orderValue,
      counterparty: this.counterparty,
    }));
    setHandler(auditQuery, () => this.record);
    setHandler(cancelSignal, (request) => this.onCancel(request));
    setHandler(verdictSignal, (verdict) => this.onVerdict(verdict));
    setHandler(
      approveUpdate,
      (request) => {
        this.approvalState = 'approved';
        this.record.approval = { outcome: 'approved', by: request.approver, reason: request.comment };
        this.note('approved', request);
        return { accepted: true as const, status: this.record.status };
      },
      { validator: (request) => this.validateApproval(ApproveUpdateSchema, request) },
    );
    setHandler(
      rejectUpdate,
      (request) => {
        this.approvalState = 'rejected';
        this.record.approval = { outcome: 'rejected', by: request.approver, reason: request.reason };
        this.note('rejected', request);
        return { accepted: true as const, status: this.record.status };
      },
      { validator: (request) => this.validateApproval(RejectUpdateSchema, request) },
    );
    setHandler(
      amendUpdate,
      (request) => {
        this.amendmentList.push(request);
        this.note('amended', request);
        return { accepted: true as const, amendments: this.amendmentList.length };
      },
      { validator: (request) => this.validateAmendment(request) },
    );
  }

  private onCancel(request: unknown): void {
    const parsed = CancelSignalSchema.safeParse(request);
    // Signals cannot be rejected back to the sender; an invalid one is recorded and ignored.
    if (!parsed.success)
      return this.note('cancel_ignored', {
        reason: 'invalid cancel signal',
        issues: parsed.error.issues.map((i) => i.message),
      });
    if (this.isFinished()) return this.note('cancel_ignored', { reason: `decision already ${this.record.status}` });
    this.cancel ??= parsed.data;
    this.note('cancel_requested', parsed.data);
  }

  private onVerdict(verdict: unknown): void {
    const parsed = VerdictSchema.safeParse(verdict);
    if (!parsed.success) return this.note('verdict_ignored', { reason: 'invalid verdict' });
    // Checked here, not only in the bridge: a signal sent straight to the decision must be the verifier's too.
    const { verdictSigners } = this.settings;
    const signed = verdictSigners && checkVerdictSignature(parsed.data, verdictSigners, this.decisionId);
    if (signed && !signed.ok)
      return this.note('verdict_ignored', {
        reason: signed.reason,
        message: signed.message,
        receiptId: parsed.data.receiptId,
      });
    const known = this.record.inferences.some((i) => i.receiptId === parsed.data.receiptId);
    const already = this.record.verifications.some((v) => v.receiptId === parsed.data.receiptId);
    if (!known || already) return;
    const { checks, verifiedAt, receiptId } = parsed.data;
    this.record.verifications.push({ receiptId, verifiedAt, checks });
    this.note('verdict_received', {
      receiptId,
      verified: parsed.data.verified,
      ...(signed?.ok ? { signer: signed.signer } : {}),
    });
  }

  private validateApproval(schema: typeof ApproveUpdateSchema | typeof RejectUpdateSchema, request: unknown): void {
    validate(schema, request, 'approval');
    if (this.record.status !== 'AWAITING_APPROVAL' || this.approvalState !== 'pending' || this.acting) {
      const already = this.approvalState !== 'pending' ? ` and already ${this.approvalState}` : '';
      refuseUpdate(
        'ApprovalNotPending',
        `decision ${this.decisionId} is ${this.record.status}${already}, not awaiting approval`,
      );
    }
  }

  private validateAmendment(request: unknown): void {
    const amendment = validate(AmendUpdateSchema, request, 'amend');
    if (this.acting || (this.record.status !== 'PAYING' && this.record.status !== 'AWAITING_APPROVAL')) {
      refuseUpdate('AmendNotAllowed', `cannot amend a decision that is ${this.record.status}; amend before it acts`);
    }
    if (this.kind === 'procurement' && amendment.promisedBy !== undefined)
      refuseUpdate('AmendInvalid', 'promisedBy applies to routing decisions');
    if (this.kind === 'routing' && (amendment.quantity !== undefined || amendment.neededBy !== undefined))
      refuseUpdate('AmendInvalid', 'quantity and neededBy apply to procurement decisions');
  }
}

export function now(): string {
  return new Date().toISOString(); // workflow time: deterministic on replay
}
