// How a decision ended: one typed code per ending (with the status, the failed check it names and the event it
// publishes), the checks a rollback can name, and the workflow's result. The README's reason table is generated from
// DECISION_OUTCOME_REASONS (`npm run docs:decisions`), so the table and the code cannot drift apart.
import { z } from 'zod';
import type { DecisionAudit, DecisionStatusValue } from './decision';

/** What `failedCheck` names on a rolled-back or failed decision (events, audit, workflow result). */
export const FAILED_CHECKS = {
  decision: 'deciding itself: the policy found nothing acceptable, or the features were invalid',
  approval: 'the ERP approval: rejected, or no answer after escalation',
  cancelled: 'a `cancel` signal (or a `*.cancelled` event) arrived before the end',
  attestation: 'the TEE attestation check of a receipt',
  proof: 'the zkML proof check of a receipt',
  reexecution: 'the re-execution check of a receipt',
  verification: 'a verdict that never came within `DECISION_VERIFICATION_TIMEOUT_MS`',
  activity: 'a step (ERP, TMS, payment, Kafka) that failed for good',
} as const;
export type FailedCheck = keyof typeof FAILED_CHECKS;
export const FailedCheckSchema = z.enum(Object.keys(FAILED_CHECKS) as [FailedCheck, ...FailedCheck[]]);

/** The verification checks a verdict carries, in the order the workflow reads them. */
export const VERIFICATION_CHECK_NAMES = [
  'attestation',
  'proof',
  'reexecution',
] as const satisfies readonly FailedCheck[];
export type VerificationCheckName = (typeof VERIFICATION_CHECK_NAMES)[number];

type ReasonRow = {
  status: Extract<DecisionStatusValue, 'VERIFIED' | 'ROLLED_BACK' | 'FAILED'>;
  failedChecks: readonly FailedCheck[];
  event: 'decision.verified' | 'decision.rolled_back' | 'decision.failed';
  /** Whether the decision compensates (undoes what it did) before it ends. */
  compensates: boolean;
  /** Whether another attempt on another node may follow (DECISION_MAX_ATTEMPTS). */
  reDecides: boolean;
  reason: string;
  meaning: string;
};

export const DECISION_OUTCOME_REASONS = {
  verified: {
    status: 'VERIFIED',
    failedChecks: [],
    event: 'decision.verified',
    compensates: false,
    reDecides: false,
    reason: '(none)',
    meaning: 'every verdict passed; the purchase order or tender was confirmed',
  },
  no_supplier_within_budget: {
    status: 'FAILED',
    failedChecks: ['decision'],
    event: 'decision.failed',
    compensates: true,
    reDecides: false,
    reason: 'no_supplier_within_budget: cheapest order <value> > budget <amount>',
    meaning: 'no candidate supplier can deliver the quantity within the requisition budget',
  },
  invalid_features: {
    status: 'FAILED',
    failedChecks: ['decision'],
    event: 'decision.failed',
    compensates: true,
    reDecides: false,
    reason: 'invalid_features: <what is out of range>',
    meaning: "the input passed its schema but a feature builder refused it (e.g. a value outside the model's range)",
  },
  approval_rejected: {
    status: 'ROLLED_BACK',
    failedChecks: ['approval'],
    event: 'decision.rolled_back',
    compensates: true,
    reDecides: false,
    reason: 'rejected by <approver>: <reason>',
    meaning: 'the ERP sent `reject`; the budget hold is released',
  },
  approval_timeout: {
    status: 'ROLLED_BACK',
    failedChecks: ['approval'],
    event: 'decision.rolled_back',
    compensates: true,
    reDecides: false,
    reason: 'approval_timeout: no approval after escalation',
    meaning:
      'no answer within `DECISION_APPROVAL_TIMEOUT_MS`, then none within `DECISION_ESCALATION_TIMEOUT_MS` after `decision.escalated`',
  },
  cancelled: {
    status: 'ROLLED_BACK',
    failedChecks: ['cancelled'],
    event: 'decision.rolled_back',
    compensates: true,
    reDecides: false,
    reason: 'cancelled by <requestedBy>: <reason>',
    meaning: 'cancelled while paying, awaiting approval or verifying; everything done so far is undone',
  },
  verification_failed: {
    status: 'ROLLED_BACK',
    failedChecks: VERIFICATION_CHECK_NAMES,
    event: 'decision.rolled_back',
    compensates: true,
    reDecides: true,
    reason: 'fail: <check reason code> (receipt <id>)',
    meaning:
      'a check failed or timed out (`timeout: check_timeout …`; reason codes in [Reason codes](#reason-codes)); the payments are disputed and the node flagged',
  },
  verification_timeout: {
    status: 'ROLLED_BACK',
    failedChecks: ['verification'],
    event: 'decision.rolled_back',
    compensates: true,
    reDecides: true,
    reason: 'verification_timeout: no verdict within <ms> ms for <receipt ids>',
    meaning: 'the verifier sent no verdict in time; treated as a failed check',
  },
  activity_failed: {
    status: 'FAILED',
    failedChecks: ['activity'],
    event: 'decision.failed',
    compensates: true,
    reDecides: false,
    reason: 'activity_failed: <activity>: <error>',
    meaning: 'a step failed for good (non-retryable, or out of time); what was done is undone',
  },
} as const satisfies Record<string, ReasonRow>;
export type DecisionOutcomeCode = keyof typeof DECISION_OUTCOME_REASONS;
export const DecisionOutcomeCodeSchema = z.enum(
  Object.keys(DECISION_OUTCOME_REASONS) as [DecisionOutcomeCode, ...DecisionOutcomeCode[]],
);

/** Codes that end a decision as FAILED (a rolled-back decision is one the engine undid on purpose). */
export type FailureCode = {
  [C in DecisionOutcomeCode]: (typeof DECISION_OUTCOME_REASONS)[C]['status'] extends 'FAILED' ? C : never;
}[DecisionOutcomeCode];
/** Codes that end a decision as ROLLED_BACK. */
export type RollbackCode = {
  [C in DecisionOutcomeCode]: (typeof DECISION_OUTCOME_REASONS)[C]['status'] extends 'ROLLED_BACK' ? C : never;
}[DecisionOutcomeCode];

/** What a decision workflow returns; `audit` is the final audit record, readable without a worker once it is closed. */
export type DecisionOutcome = {
  decisionId: string;
  status: DecisionStatusValue;
  attempt: number;
  code: DecisionOutcomeCode;
  reason?: string;
  failedCheck?: FailedCheck;
  reference?: string;
  audit: DecisionAudit;
};

/** The README's table of decision outcomes, one row per code. */
export function decisionOutcomeTable(): string {
  const rows = Object.entries(DECISION_OUTCOME_REASONS).map(([code, row]: [string, ReasonRow]) => {
    const checks = row.failedChecks.length ? row.failedChecks.map((c) => `\`${c}\``).join(', ') : '';
    const after = [row.compensates ? 'compensates' : '', row.reDecides ? 're-decides' : ''].filter(Boolean).join(', ');
    return `| \`${code}\` | ${row.status} | ${checks} | \`${row.event}\` | \`${row.reason}\` | ${after} | ${row.meaning} |`;
  });
  return [
    '| code | status | failedCheck | event | reason text | then | meaning |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
