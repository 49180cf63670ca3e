// The chaos table, computed only from what independent sources recorded: Temporal visibility (runs per workflow id),
// the decisions' audits (which node each attempt paid, how it ended), the ERP/TMS journal (live actions), the token's
// logs on chain (transfers, authorization nonces), the decisions topic read back from offset 0, and the fault
// injectors' own records (which receipts had their proofs held back). Pure, so the arithmetic has unit-sized tests.
import type { DecisionAudit } from '../../../../src/contracts/decision';

export type ObservedDecision = {
  workflowId: string;
  /** A `requisition.cancelled` was sent for it. */
  cancelSent: boolean;
  /** Execution statuses of every run of this workflow id (visibility). */
  runs: string[];
  audit?: Pick<DecisionAudit, 'status' | 'outcome' | 'inferences' | 'previousAttempts'>;
  /** POs or tenders of this decision not cancelled/retracted (ERP/TMS journal). */
  liveActions: number;
};

export type ObservedWorld = {
  decisions: ObservedDecision[];
  /** Every decision.* event on the topic: id, type, subject. */
  events: Array<{ id: string; type: string; subject: string }>;
  /** Token Transfer logs to the nodes, and every AuthorizationUsed nonce. */
  transfersToNodes: number;
  authorizationNonces: string[];
  faultyNodeId: string;
  /** Receipts whose proofs the proof-hold proxy withheld. */
  heldProofReceipts: Set<string>;
  /**
   * Escrow mode: the escrow contract's logs. Payments are held there (not transferred to a node) until the verifier's
   * verdict releases them: `transfersToNodes` then counts captures, and every hold must end captured or refunded.
   */
  escrow?: { held: number; capturedTo: string[]; refunded: number };
};

type Attempt = { status: string; code?: string; reason?: string; nodeIds: string[]; receiptIds: string[] };

function attemptsOf(audit: NonNullable<ObservedDecision['audit']>): Attempt[] {
  const earlier = (audit.previousAttempts ?? []).map((p) => ({
    status: p.outcome?.status ?? 'ROLLED_BACK',
    code: p.outcome?.code,
    reason: p.outcome?.reason,
    nodeIds: p.inferences.map((i) => i.nodeId.toLowerCase()),
    receiptIds: p.inferences.map((i) => i.receiptId.toLowerCase()),
  }));
  return [
    ...earlier,
    {
      status: audit.outcome?.status ?? audit.status,
      code: audit.outcome?.code,
      reason: audit.outcome?.reason,
      nodeIds: audit.inferences.map((i) => i.nodeId.toLowerCase()),
      receiptIds: audit.inferences.map((i) => i.receiptId.toLowerCase()),
    },
  ];
}

export function chaosTable(world: ObservedWorld) {
  const faulty = world.faultyNodeId.toLowerCase();
  const finals = world.decisions.map((d) => d.audit?.outcome?.status ?? d.audit?.status ?? 'UNKNOWN');
  const attempts = world.decisions.flatMap((d) =>
    d.audit ? attemptsOf(d.audit).map((a) => ({ ...a, cancelSent: d.cancelSent, workflowId: d.workflowId })) : [],
  );
  const rolledBackAttempts = attempts.filter((a) => a.status === 'ROLLED_BACK');
  const usedFaulty = attempts.filter((a) => a.nodeIds.includes(faulty));
  // A rollback is explained by a fault when the attempt paid the faulty node, had a proof held back past the timeout,
  // or was cancelled on request. Any other rollback of an honest attempt is a false one.
  const explained = (a: Attempt & { cancelSent: boolean }) =>
    a.nodeIds.includes(faulty) ||
    a.receiptIds.some((r) => world.heldProofReceipts.has(r)) ||
    (a.code === 'cancelled' && a.cancelSent);
  const eventIds = world.events.map((e) => e.id);
  const terminal = new Set(
    world.events.filter((e) => /verified|rolled_back|failed/.test(e.type)).map((e) => e.subject),
  );
  const paidInferences = attempts.reduce((n, a) => n + a.receiptIds.length, 0);
  const payments = world.escrow ? world.escrow.held : world.transfersToNodes;
  return {
    decisions: world.decisions.length,
    verified: finals.filter((s) => s === 'VERIFIED').length,
    rolledBack: finals.filter((s) => s === 'ROLLED_BACK').length,
    cancelled: attempts.filter((a) => a.code === 'cancelled').length,
    failed: finals.filter((s) => s === 'FAILED').length,
    rolledBackAttempts: rolledBackAttempts.length,
    reDecided: world.decisions.filter((d) => (d.audit?.previousAttempts?.length ?? 0) > 0).length,
    attemptsOnFaultyNode: usedFaulty.length,
    heldProofs: world.heldProofReceipts.size,
    paidInferences,
    payments,
    doublePayments:
      world.authorizationNonces.length -
      new Set(world.authorizationNonces).size +
      Math.max(0, payments - paidInferences) +
      (world.escrow ? Math.max(0, world.escrow.capturedTo.length + world.escrow.refunded - world.escrow.held) : 0),
    unsettledPayments: Math.max(0, paidInferences - payments),
    ...(world.escrow ? escrowFigures(world.escrow, attempts, faulty) : {}),
    duplicateActions: world.decisions.filter((d) => d.liveActions > 1).length,
    liveActionsOfUnverified: world.decisions.filter((d, i) => finals[i] !== 'VERIFIED' && d.liveActions > 0).length,
    verifiedWithoutAction: world.decisions.filter((d, i) => finals[i] === 'VERIFIED' && d.liveActions !== 1).length,
    duplicateEvents: eventIds.length - new Set(eventIds).size,
    lostEvents: world.decisions.filter((d) => d.runs.length === 0).length,
    extraWorkflows: world.decisions.filter((d) => d.runs.filter((s) => s !== 'CONTINUED_AS_NEW').length > 1).length,
    openWorkflows: world.decisions.filter((d) => d.runs.includes('RUNNING')).length,
    missingOutcomeEvents: world.decisions.filter((d) => d.runs.length > 0 && !terminal.has(d.workflowId)).length,
    falseRollbacks: rolledBackAttempts.filter((a) => !explained(a)).length,
    missedTamperings: usedFaulty.filter((a) => a.status === 'VERIFIED').length,
  };
}
export type ChaosTable = ReturnType<typeof chaosTable>;

/**
 * Money follows verification: each verified inference captured to its node, each rolled-back one refunded to the
 * payer, and nothing ever captured to the faulty node (its results never verify).
 */
function escrowFigures(
  escrow: NonNullable<ObservedWorld['escrow']>,
  attempts: Array<Attempt & { cancelSent: boolean }>,
  faulty: string,
) {
  const inferencesOf = (status: string) =>
    attempts.filter((a) => a.status === status).reduce((n, a) => n + a.receiptIds.length, 0);
  return {
    captured: escrow.capturedTo.length,
    refunded: escrow.refunded,
    capturedToFaultyNode: escrow.capturedTo.filter((to) => to.toLowerCase() === faulty).length,
    /** Holds neither captured nor refunded: every hold must end one way or the other before the run ends. */
    unreleasedHolds: Math.max(0, escrow.held - escrow.capturedTo.length - escrow.refunded),
    verifiedNotCaptured: Math.max(0, inferencesOf('VERIFIED') - escrow.capturedTo.length),
    rolledBackNotRefunded: Math.max(0, inferencesOf('ROLLED_BACK') - escrow.refunded),
  };
}

/** The rollbacks no injected fault explains, with the engine's own code and reason, for a failing run's message. */
export function unexplainedRollbacks(
  world: ObservedWorld,
): Array<{ workflowId: string; code?: string; reason?: string }> {
  const faulty = world.faultyNodeId.toLowerCase();
  return world.decisions.flatMap((d) =>
    d.audit
      ? attemptsOf(d.audit)
          .filter(
            (a) =>
              a.status === 'ROLLED_BACK' &&
              !a.nodeIds.includes(faulty) &&
              !a.receiptIds.some((r) => world.heldProofReceipts.has(r)) &&
              !(a.code === 'cancelled' && d.cancelSent),
          )
          .map((a) => ({ workflowId: d.workflowId, code: a.code, reason: a.reason?.slice(0, 200) }))
      : [],
  );
}

/** Decisions that ended FAILED, with the engine's code and reason (a FAILED decision had no fault to explain it). */
export function failedDecisions(world: ObservedWorld): Array<{ workflowId: string; code?: string; reason?: string }> {
  return world.decisions
    .filter((d) => (d.audit?.outcome?.status ?? d.audit?.status) === 'FAILED')
    .map((d) => ({
      workflowId: d.workflowId,
      code: d.audit?.outcome?.code,
      reason: d.audit?.outcome?.reason?.slice(0, 300),
    }));
}

/**
 * Authorization nonces used on chain that no decision's audit names (its paymentRef ends in the nonce): money moved
 * for an inference the engine has no record of — what a double payment looks like from the chain's side.
 */
export function unaccountedNonces(world: ObservedWorld): string[] {
  const recorded = new Set(
    world.decisions.flatMap((d) =>
      d.audit
        ? [d.audit, ...(d.audit.previousAttempts ?? [])].flatMap((a) =>
            a.inferences.map((i) => String(i.paymentRef).split('/').pop()!.toLowerCase()),
          )
        : [],
    ),
  );
  return world.authorizationNonces.filter((n) => !recorded.has(n.toLowerCase()));
}

/** The event ids on the topic more than once, with their type, decision and count, for a failing run's message. */
export function duplicatedEvents(
  world: Pick<ObservedWorld, 'events'>,
): Array<{ id: string; type: string; subject: string; count: number }> {
  const byId = new Map<string, { id: string; type: string; subject: string; count: number }>();
  for (const { id, type, subject } of world.events) {
    const seen = byId.get(id);
    if (seen) seen.count += 1;
    else byId.set(id, { id, type, subject, count: 1 });
  }
  return [...byId.values()].filter((e) => e.count > 1);
}

/** The figures that must be zero for a run to pass. */
export const MUST_BE_ZERO = [
  'doublePayments',
  'unsettledPayments',
  'duplicateActions',
  'liveActionsOfUnverified',
  'verifiedWithoutAction',
  'duplicateEvents',
  'lostEvents',
  'extraWorkflows',
  'openWorkflows',
  'missingOutcomeEvents',
  'falseRollbacks',
  'missedTamperings',
] as const;

/** Escrow mode's figures that must be zero as well. */
export const MUST_BE_ZERO_IN_ESCROW = [
  'capturedToFaultyNode',
  'verifiedNotCaptured',
  'rolledBackNotRefunded',
  'unreleasedHolds',
] as const;

/** The names of the figures that break the run (must be zero and are not). */
export function brokenFigures(table: ChaosTable): string[] {
  const figures = table as unknown as Record<string, number | undefined>;
  // A figure every run has must be there (a renamed or missing one must not pass); the escrow ones only in escrow mode.
  const escrowRun = figures.captured !== undefined;
  return [...MUST_BE_ZERO, ...(escrowRun ? MUST_BE_ZERO_IN_ESCROW : [])]
    .filter((k) => figures[k] !== 0)
    .map((k) => `${k} ${figures[k]}`);
}
