// What the scenario has seen so far, per decision and in total: pure state fed by observations (an event sent, a
// decision event from Kafka, a receipt's settlement, a final outcome from Temporal), read by the dashboard and the
// expectation check. No I/O here, so every rule is unit-tested.
import type { DecisionEvent } from '../contracts/events';
import { percentile } from '../terminal';
import type { PlannedDecision } from './scenario';

export type FinalOutcome = {
  status: 'VERIFIED' | 'ROLLED_BACK' | 'FAILED' | string;
  attempt: number;
  reason?: string;
  failedCheck?: string;
};

export type AttemptTrack = {
  attempt: number;
  nodeIds: string[];
  actedAt?: number;
  verdictAt?: number;
  outcome?: 'VERIFIED' | 'ROLLED_BACK' | 'FAILED';
  failedCheck?: string;
  reason?: string;
};

export type DecisionTrack = {
  plan: PlannedDecision;
  emittedAt?: number;
  awaitedApproval: boolean;
  /** The attempt now waiting for the ERP, if any. */
  awaitingApproval?: number;
  erpActions: string[];
  attempts: Map<number, AttemptTrack>;
  final?: FinalOutcome;
  seenEventIds: Set<string>;
  duplicateEvents: number;
};

export type ReceiptTrack = {
  receiptId: string;
  nodeId: string;
  decisionId: string;
  settlement: 'pending' | 'settled' | 'failed' | 'not_required' | 'unknown';
};

/** The coarse state a person sees in the live table. */
export type LiveStatus =
  'QUEUED' | 'DECIDING' | 'AWAITING_APPROVAL' | 'VERIFYING' | 'RE-DECIDING' | 'VERIFIED' | 'ROLLED_BACK' | 'FAILED';
export const LIVE_STATUSES: readonly LiveStatus[] = [
  'QUEUED',
  'DECIDING',
  'AWAITING_APPROVAL',
  'VERIFYING',
  'RE-DECIDING',
  'VERIFIED',
  'ROLLED_BACK',
  'FAILED',
];

/** The checks of the verification path (as opposed to approval, cancel or a failed step). */
export const VERIFICATION_CHECKS: readonly string[] = ['attestation', 'proof', 'reexecution', 'verification'];

/**
 * Reason code of a rollback reason: its first word after the check's verdict (`fail: proof_output_mismatch: … (receipt …)`
 * → `proof_output_mismatch`; `rejected by cfo: …` → `rejected`).
 */
export function reasonCode(reason: string | undefined): string {
  return (reason ?? 'unknown').replace(/^(fail|timeout):\s*/, '').split(/[:\s]/)[0] || 'unknown';
}

export function liveStatusOf(track: DecisionTrack): LiveStatus {
  if (track.final)
    return track.final.status === 'VERIFIED' ? 'VERIFIED' : track.final.status === 'FAILED' ? 'FAILED' : 'ROLLED_BACK';
  if (track.emittedAt === undefined) return 'QUEUED';
  const latest = [...track.attempts.values()].sort((a, b) => b.attempt - a.attempt)[0];
  if (!latest) return 'DECIDING';
  // Not final yet: after a failed verification check a next attempt may follow; after anything else it will not.
  if (latest.outcome === 'ROLLED_BACK')
    return VERIFICATION_CHECKS.includes(latest.failedCheck ?? '') ? 'RE-DECIDING' : 'ROLLED_BACK';
  if (latest.outcome === 'FAILED') return 'FAILED';
  if (latest.outcome === 'VERIFIED') return 'VERIFIED';
  if (latest.actedAt !== undefined) return 'VERIFYING';
  return track.awaitingApproval === latest.attempt ? 'AWAITING_APPROVAL' : 'DECIDING';
}

export function createScenarioTracker(plans: readonly PlannedDecision[]) {
  const decisions = new Map<string, DecisionTrack>(
    plans.map((plan) => [
      plan.decisionId,
      {
        plan,
        awaitedApproval: false,
        erpActions: [],
        attempts: new Map(),
        seenEventIds: new Set(),
        duplicateEvents: 0,
      },
    ]),
  );
  const receipts = new Map<string, ReceiptTrack>();
  const startedAt = Date.now();

  const attemptOf = (track: DecisionTrack, attempt: number): AttemptTrack => {
    let found = track.attempts.get(attempt);
    if (!found) {
      found = { attempt, nodeIds: [] };
      track.attempts.set(attempt, found);
    }
    return found;
  };

  return {
    startedAt,
    decisions,
    receipts,

    emitted(decisionId: string, at = Date.now()): void {
      const track = decisions.get(decisionId);
      if (track) track.emittedAt = at;
    },

    /** Returns false for an event of another decision (another play, another producer) or a repeat of one seen. */
    decisionEvent(event: DecisionEvent, at = Date.now()): boolean {
      const track = decisions.get(event.data.decisionId);
      if (!track) return false;
      if (track.seenEventIds.has(event.id)) {
        track.duplicateEvents += 1;
        return false;
      }
      track.seenEventIds.add(event.id);
      const attempt = attemptOf(track, event.data.attempt);
      for (const receipt of event.data.receipts ?? []) {
        if (!attempt.nodeIds.includes(receipt.nodeId)) attempt.nodeIds.push(receipt.nodeId);
        if (!receipts.has(receipt.receiptId))
          receipts.set(receipt.receiptId, {
            receiptId: receipt.receiptId,
            nodeId: receipt.nodeId,
            decisionId: track.plan.decisionId,
            settlement: 'pending',
          });
      }
      switch (event.type) {
        case 'decision.awaiting_approval':
          track.awaitedApproval = true;
          track.awaitingApproval = attempt.attempt;
          break;
        case 'decision.acted':
          attempt.actedAt ??= at;
          track.awaitingApproval = undefined;
          break;
        case 'decision.verified':
          attempt.outcome = 'VERIFIED';
          attempt.verdictAt ??= at;
          break;
        case 'decision.rolled_back':
        case 'decision.failed':
          attempt.outcome = event.type === 'decision.failed' ? 'FAILED' : 'ROLLED_BACK';
          attempt.failedCheck = event.data.failedCheck;
          attempt.reason = event.data.reason;
          track.awaitingApproval = undefined;
          if (attempt.actedAt !== undefined) attempt.verdictAt ??= at;
          break;
        default:
          break;
      }
      return true;
    },

    erpAction(decisionId: string, action: string): void {
      decisions.get(decisionId)?.erpActions.push(action);
    },

    settlement(receiptId: string, status: ReceiptTrack['settlement']): void {
      const receipt = receipts.get(receiptId);
      if (receipt) receipt.settlement = status;
    },

    finished(decisionId: string, outcome: FinalOutcome): void {
      const track = decisions.get(decisionId);
      if (track) track.final = outcome;
    },

    liveStatusOf,

    summary() {
      const tracks = [...decisions.values()];
      const byStatus = Object.fromEntries(LIVE_STATUSES.map((s) => [s, 0])) as Record<LiveStatus, number>;
      for (const track of tracks) byStatus[liveStatusOf(track)] += 1;
      // Fast path: event sent → decision.acted, for first attempts that did not wait for a person.
      const fastPathMs = tracks.flatMap((t) => {
        const first = t.attempts.get(1);
        return !t.awaitedApproval && t.emittedAt !== undefined && first?.actedAt !== undefined
          ? [first.actedAt - t.emittedAt]
          : [];
      });
      const verdictMs = tracks.flatMap((t) =>
        [...t.attempts.values()].flatMap((a) =>
          a.actedAt !== undefined && a.verdictAt !== undefined ? [a.verdictAt - a.actedAt] : [],
        ),
      );
      const failedChecks = new Map<string, number>();
      for (const attempt of tracks.flatMap((t) => [...t.attempts.values()])) {
        if (attempt.outcome !== 'ROLLED_BACK' || !attempt.failedCheck) continue;
        const key = `${attempt.failedCheck}: ${reasonCode(attempt.reason)}`;
        failedChecks.set(key, (failedChecks.get(key) ?? 0) + 1);
      }
      const allReceipts = [...receipts.values()];
      return {
        total: tracks.length,
        finished: tracks.filter((t) => t.final !== undefined).length,
        byStatus,
        reDecided: tracks.filter((t) => t.attempts.size > 1).length,
        attempts: tracks.reduce((n, t) => n + t.attempts.size, 0),
        fastPath: {
          count: fastPathMs.length,
          p50: percentile(fastPathMs, 50),
          p90: percentile(fastPathMs, 90),
          max: percentile(fastPathMs, 100),
        },
        timeToVerdict: {
          count: verdictMs.length,
          p50: percentile(verdictMs, 50),
          p90: percentile(verdictMs, 90),
          max: percentile(verdictMs, 100),
        },
        payments: {
          total: allReceipts.length,
          settled: allReceipts.filter((r) => r.settlement === 'settled').length,
          failed: allReceipts.filter((r) => r.settlement === 'failed').length,
        },
        failedChecks: [...failedChecks.entries()].sort((a, b) => b[1] - a[1]),
        duplicateEvents: tracks.reduce((n, t) => n + t.duplicateEvents, 0),
        elapsedMs: Date.now() - startedAt,
      };
    },
  };
}

export type ScenarioTracker = ReturnType<typeof createScenarioTracker>;
export type ScenarioSummary = ReturnType<ScenarioTracker['summary']>;
