// The tracker turns decision events into live states and figures; repeats and other decisions' events are ignored.
import { createScenarioTracker, type ScenarioTracker } from '../../../src/demo';
import { liveStatusOf, reasonCode } from '../../../src/demo/tracker';
import { buildEvent, buildPlans, FAULTY, HONEST } from './builders';

describe('scenario tracker', () => {
  const plans = buildPlans();
  const [a, b] = plans.filter((p) => !p.spec.erp);
  let tracker: ScenarioTracker;
  beforeEach(() => {
    tracker = createScenarioTracker(plans);
  });
  const status = (id: string) => liveStatusOf(tracker.decisions.get(id)!);

  it('follows a decision from sent to verified, with fast-path and verdict latencies', () => {
    tracker.emitted(a!.decisionId, 1_000);
    expect(status(a!.decisionId)).toBe('DECIDING');
    tracker.decisionEvent(buildEvent(a!, 'decision.acted', { nodeId: HONEST }), 1_400);
    expect(status(a!.decisionId)).toBe('VERIFYING');
    tracker.decisionEvent(buildEvent(a!, 'decision.verified', { nodeId: HONEST }), 3_400);
    tracker.finished(a!.decisionId, { status: 'VERIFIED', attempt: 1 });
    const summary = tracker.summary();
    expect(status(a!.decisionId)).toBe('VERIFIED');
    expect(summary.fastPath).toMatchObject({ count: 1, p50: 400 });
    expect(summary.timeToVerdict).toMatchObject({ count: 1, p50: 2_000 });
    expect(summary.byStatus.QUEUED).toBe(plans.length - 1);
  });

  it('shows a decision caught by a check as re-deciding until its final outcome arrives', () => {
    tracker.emitted(b!.decisionId);
    tracker.decisionEvent(buildEvent(b!, 'decision.acted', { nodeId: FAULTY }));
    tracker.decisionEvent(
      buildEvent(b!, 'decision.rolled_back', {
        nodeId: FAULTY,
        failedCheck: 'proof',
        reason: 'fail: proof_output_mismatch: outputs differ (receipt 0x1)',
      }),
    );
    expect(status(b!.decisionId)).toBe('RE-DECIDING');
    expect(tracker.summary().failedChecks).toEqual([['proof: proof_output_mismatch', 1]]);
  });

  it('counts a repeated event once and ignores events of decisions outside the scenario', () => {
    expect(tracker.decisionEvent(buildEvent(a!, 'decision.acted', { nodeId: HONEST }))).toBe(true);
    expect(tracker.decisionEvent(buildEvent(a!, 'decision.acted', { nodeId: HONEST }))).toBe(false);
    expect(
      tracker.decisionEvent({
        ...buildEvent(a!, 'decision.acted'),
        data: { ...buildEvent(a!, 'decision.acted').data, decisionId: 'procurement-other' },
      }),
    ).toBe(false);
    expect(tracker.summary().duplicateEvents).toBe(1);
  });

  it('counts settled payments per receipt', () => {
    tracker.decisionEvent(buildEvent(a!, 'decision.acted', { nodeId: HONEST }));
    tracker.settlement(`r-${a!.decisionId}-1`, 'settled');
    expect(tracker.summary().payments).toEqual({ total: 1, settled: 1, failed: 0 });
  });

  it('reads the reason code behind a check verdict', () => {
    expect(reasonCode('fail: reexecution_output_mismatch: hash 0x1 ≠ 0x2 (receipt 0x9)')).toBe(
      'reexecution_output_mismatch',
    );
    expect(reasonCode('rejected by cfo@example.com: too much')).toBe('rejected');
    expect(reasonCode(undefined)).toBe('unknown');
  });
});
