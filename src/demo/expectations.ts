// Did every decision end as the scenario says? The per-decision expectations from the file, plus the rule the
// faulty node exists to show: each attempt that acted on its answers is caught by a check that its fault names and
// rolled back, no attempt on an honest node is rolled back by a check, and nothing stays verified on the faulty node.
import { FAULT_CATALOGUE, type NodeFault } from '../verification';
import { VERIFICATION_CHECKS, type DecisionTrack } from './tracker';

export type NodeRole = 'honest' | 'faulty';
export type Deviation = { decisionId: string; expected: string; actual: string };

const CHECK_FAILURES = new Set(VERIFICATION_CHECKS);

export function checkExpectations(
  tracks: Iterable<DecisionTrack>,
  roles: ReadonlyMap<string, NodeRole>,
  faults: readonly NodeFault[],
): Deviation[] {
  const catching = new Set<string>(faults.flatMap((f) => FAULT_CATALOGUE[f].caughtBy.map((c) => c.check)));
  const deviations: Deviation[] = [];
  for (const track of tracks) {
    const { decisionId, spec } = track.plan;
    const deviation = (expected: string, actual: string) => deviations.push({ decisionId, expected, actual });
    const expect = spec.expect;
    if (!track.final) {
      deviation(`ends ${expect.status}`, 'no final outcome');
      continue;
    }
    if (track.final.status !== expect.status)
      deviation(
        `ends ${expect.status}`,
        `ended ${track.final.status}${track.final.reason ? ` (${track.final.reason})` : ''}`,
      );
    if (expect.failedCheck !== undefined && track.final.failedCheck !== expect.failedCheck) {
      deviation(`failed check ${expect.failedCheck}`, `failed check ${track.final.failedCheck ?? 'none'}`);
    }
    const approval = expect.approval ?? (spec.erp ? 'required' : 'not_required');
    if (approval === 'required' && !track.awaitedApproval)
      deviation('waits for ERP approval', 'never asked for approval');
    if (approval === 'not_required' && track.awaitedApproval) deviation('needs no approval', 'asked for approval');

    for (const attempt of track.attempts.values()) {
      const onFaulty = attempt.nodeIds.some((id) => roles.get(id.toLowerCase()) === 'faulty');
      const acted = attempt.actedAt !== undefined;
      if (onFaulty && acted) {
        if (attempt.outcome === 'VERIFIED')
          deviation(`attempt ${attempt.attempt} on the faulty node is caught`, 'it was verified (a missed tampering)');
        else if (attempt.outcome === 'ROLLED_BACK' && !catching.has(attempt.failedCheck ?? '')) {
          deviation(
            `attempt ${attempt.attempt} on the faulty node is caught by ${[...catching].join(' or ')}`,
            `rolled back by ${attempt.failedCheck ?? 'nothing'}`,
          );
        }
      }
      if (!onFaulty && attempt.outcome === 'ROLLED_BACK' && CHECK_FAILURES.has(attempt.failedCheck ?? '')) {
        deviation(
          `attempt ${attempt.attempt} on an honest node passes verification`,
          `rolled back by ${attempt.failedCheck}: ${attempt.reason ?? ''} (a false rollback)`,
        );
      }
    }
    if (track.final.status === 'VERIFIED') {
      const last = track.attempts.get(track.final.attempt);
      if (last?.nodeIds.some((id) => roles.get(id.toLowerCase()) !== 'honest'))
        deviation('verified on an honest node', `verified on ${last.nodeIds.join(', ')}`);
    }
  }
  return deviations;
}
