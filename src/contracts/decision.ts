// The decision as operators and ERP systems see it: statuses, messages into a running decision, and its audit record.
import { z } from 'zod';
import { IsoDateSchema } from './logistics';

export const DecisionKindSchema = z.enum(['procurement', 'routing']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

export const DECISION_STATUSES = [
  'PAYING',
  'AWAITING_APPROVAL',
  'ACTED',
  'VERIFYING',
  'VERIFIED',
  'ROLLED_BACK',
  'FAILED',
] as const;
export const DecisionStatusSchema = z.enum(DECISION_STATUSES);
export type DecisionStatusValue = z.infer<typeof DecisionStatusSchema>;

/** Deterministic workflow ids: a redelivered event maps to the same decision, never a second one. */
export function decisionWorkflowId(kind: DecisionKind, businessKey: string): string {
  return `${kind}-${businessKey}`;
}

const actor = z.string().min(1, 'must name who decided').max(200);

export const ApproveUpdateSchema = z.object({ approver: actor, comment: z.string().max(2000).optional() }).strict();
export const RejectUpdateSchema = z
  .object({ approver: actor, reason: z.string().min(1, 'must give a reason').max(2000) })
  .strict();
export const AmendUpdateSchema = z
  .object({
    quantity: z.number().positive('must be greater than 0').refine(Number.isFinite, 'must be finite').optional(),
    neededBy: IsoDateSchema.optional(),
    promisedBy: IsoDateSchema.optional(),
    amendedBy: actor,
  })
  .strict()
  .refine((a) => a.quantity !== undefined || a.neededBy !== undefined || a.promisedBy !== undefined, {
    message: 'an amendment must change quantity, neededBy or promisedBy',
  });
export const CancelSignalSchema = z
  .object({ requestedBy: actor, reason: z.string().min(1, 'must give a reason').max(2000) })
  .strict();

export type ApproveUpdate = z.infer<typeof ApproveUpdateSchema>;
export type RejectUpdate = z.infer<typeof RejectUpdateSchema>;
export type AmendUpdate = z.infer<typeof AmendUpdateSchema>;
export type CancelSignal = z.infer<typeof CancelSignalSchema>;

import type { CheckStatus } from './verdict';
import {
  DecisionOutcomeCodeSchema,
  FailedCheckSchema,
  type DecisionOutcomeCode,
  type FailedCheck,
} from './decision-outcome';

/** One entry of the decision's audit trail; `at` is workflow time (deterministic on replay). */
export type AuditEntry = { at: string; step: string; detail: Record<string, unknown> };

export type InferenceRecord = {
  step: string;
  modelId: string;
  nodeId: string;
  nodeUrl: string;
  receiptId: string;
  inputHash: string;
  outputHash: string;
  paymentRef: string;
  settlement?: string;
  /** The node's settlement mode for this payment (receipt.settlementMode): `escrow` payments can be captured or refunded. */
  settlementMode?: string;
  /** What the payer paid for this inference, in token units (channel mode signs the charge's amount). */
  amount?: string;
  rows: number[][];
  outputs: number[][];
};

export type VerificationRecord = {
  receiptId: string;
  checks: Record<'attestation' | 'proof' | 'reexecution', { status: CheckStatus; reason?: string }>;
  verifiedAt?: string;
};

export type DecisionAudit = {
  decisionId: string;
  kind: DecisionKind;
  status: DecisionStatusValue;
  input: unknown;
  inferences: InferenceRecord[];
  choice?: Record<string, unknown>;
  approval?: { outcome: 'approved' | 'rejected' | 'escalated' | 'not_required'; by?: string; reason?: string };
  actions: Array<{ action: string; reference: string; at: string }>;
  compensations: Array<{
    action: string;
    reference: string;
    at: string;
    outcome: 'done' | 'failed';
    error?: string;
    transaction?: string;
    note?: string;
  }>;
  verifications: VerificationRecord[];
  outcome?: { status: DecisionStatusValue; code?: DecisionOutcomeCode; reason?: string; failedCheck?: FailedCheck };
  attempts: number;
  /** Earlier attempts of this decision (rolled back, then re-decided with another node), oldest first. */
  previousAttempts?: PreviousAttempt[];
  timings: Record<string, string>;
  trail: AuditEntry[];
  /** Set when the record was shortened to fit in the workflow's result: what was left out. */
  clipped?: string[];
};

export type DecisionStatusView = {
  decisionId: string;
  kind: DecisionKind;
  status: DecisionStatusValue;
  detail: string;
  nodeId?: string;
  orderValue?: number;
  counterparty?: string;
};

/** Settings a decision runs with; the starter (bridge, CLI) fills them from configuration, so replays see the same values. */
export const DecisionSettingsSchema = z.object({
  /** Orders worth more than this (in the budget currency) wait for an ERP `approve` update. */
  approvalThreshold: z.number().nonnegative(),
  approvalTimeoutMs: z.number().int().positive(),
  /** After the approval timeout the decision is escalated and waits this much longer before it is rejected. */
  escalationTimeoutMs: z.number().int().positive(),
  /** How long to wait for all verification verdicts before treating the missing checks as timed out. */
  verificationTimeoutMs: z.number().int().positive(),
  /** 2 = re-decide once with another node after a failed verification. */
  maxAttempts: z.number().int().min(1).max(5),
  /**
   * Model (content id, or a name the nodes list) per role; absent roles use the built-in model of that name. Lets an
   * operator swap in a registered model with the role's feature schema; the audit records the id that answered.
   * Optional so decisions started before this setting existed replay unchanged.
   */
  /** Accept a verdict whose proof check is `unsupported` (a registered model outside the zk family); default refuse. */
  allowProofUnsupported: z.boolean().optional(),
  models: z
    .object({ 'supplier-risk': z.string().min(1), 'lane-eta': z.string().min(1), 'demand-forecast': z.string().min(1) })
    .partial()
    .optional(),
  /**
   * Verifier addresses whose signed verdicts the decision counts (src/contracts/verdict-signature.ts); any other
   * verdict signal is noted as ignored. Optional so decisions started before verdicts were signed replay unchanged
   * (they accept unsigned verdicts, as they did).
   */
  verdictSigners: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}$/)).optional(),
});
export type DecisionSettings = z.infer<typeof DecisionSettingsSchema>;

/**
 * The decision's verification policy for one check of a verdict: only `pass` is accepted, except a proof check that is
 * `unsupported` (a registered model outside the zk circuit family) when the settings accept that by name.
 */
export function acceptsCheck(
  settings: Pick<DecisionSettings, 'allowProofUnsupported'>,
  check: string,
  result: { status: string },
): boolean {
  return (
    result.status === 'pass' ||
    (check === 'proof' && result.status === 'unsupported' && settings.allowProofUnsupported === true)
  );
}

/** The model a decision pays for in a role: the configured id (or name), else the built-in model named after the role. */
export function modelFor(
  settings: Pick<DecisionSettings, 'models'>,
  role: 'supplier-risk' | 'lane-eta' | 'demand-forecast',
): string {
  return settings.models?.[role] ?? role;
}

/** What starts a decision: the validated business input, the settings, and (after a failed verification) the attempt. */
/** What an earlier attempt of the same decision did and why it ended, carried into the next attempt's audit. */
export const PreviousAttemptSchema = z.object({
  attempt: z.number().int().min(1),
  outcome: z
    .object({
      status: z.string(),
      code: DecisionOutcomeCodeSchema.optional(),
      reason: z.string().optional(),
      failedCheck: FailedCheckSchema.optional(),
    })
    .optional(),
  inferences: z.array(
    z.object({ receiptId: z.string(), modelId: z.string(), nodeId: z.string(), paymentRef: z.string() }),
  ),
  actions: z.array(z.object({ action: z.string(), reference: z.string(), at: z.string() })),
  verifications: z.array(
    z.object({
      receiptId: z.string(),
      checks: z.record(z.string(), z.object({ status: z.string(), reason: z.string().optional() })),
    }),
  ),
  compensations: z.array(
    z.object({ action: z.string(), reference: z.string(), outcome: z.string(), error: z.string().optional() }),
  ),
});
export type PreviousAttempt = z.infer<typeof PreviousAttemptSchema>;

export const AttemptSchema = z.object({
  attempt: z.number().int().min(1),
  excludeNodeIds: z.array(z.string()),
  previous: z.array(PreviousAttemptSchema).optional(),
});
