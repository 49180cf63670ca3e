// The expectation check: outcomes from the file, and the faulty-node rule (caught, re-decided, no false rollbacks).
import { checkExpectations, createScenarioTracker, type NodeRole } from '../../../src/demo';
import { buildEvent, buildPlans, FAULTY, HONEST } from './builders';

const roles = new Map<string, NodeRole>([
  [HONEST, 'honest'],
  [FAULTY, 'faulty'],
]);

function setUp() {
  const plans = buildPlans();
  const tracker = createScenarioTracker(plans);
  const plain = plans.find((p) => !p.spec.erp && p.spec.kind === 'procurement')!;
  return { plans, tracker, plain };
}

describe('scenario expectations', () => {
  it('accepts a decision caught on the faulty node and verified on the honest one', () => {
    const { tracker, plain } = setUp();
    tracker.decisionEvent(buildEvent(plain, 'decision.acted', { nodeId: FAULTY }));
    tracker.decisionEvent(
      buildEvent(plain, 'decision.rolled_back', {
        nodeId: FAULTY,
        failedCheck: 'reexecution',
        reason: 'fail: reexecution_output_mismatch',
      }),
    );
    tracker.decisionEvent(buildEvent(plain, 'decision.acted', { attempt: 2, nodeId: HONEST }));
    tracker.decisionEvent(buildEvent(plain, 'decision.verified', { attempt: 2, nodeId: HONEST }));
    tracker.finished(plain.decisionId, { status: 'VERIFIED', attempt: 2 });
    expect(checkExpectations([tracker.decisions.get(plain.decisionId)!], roles, ['wrong_output'])).toEqual([]);
  });

  it('flags a tampered answer that was verified (a missed tampering)', () => {
    const { tracker, plain } = setUp();
    tracker.decisionEvent(buildEvent(plain, 'decision.acted', { nodeId: FAULTY }));
    tracker.decisionEvent(buildEvent(plain, 'decision.verified', { nodeId: FAULTY }));
    tracker.finished(plain.decisionId, { status: 'VERIFIED', attempt: 1 });
    const deviations = checkExpectations([tracker.decisions.get(plain.decisionId)!], roles, ['wrong_output']);
    expect(deviations.map((d) => d.actual)).toEqual(
      expect.arrayContaining(['it was verified (a missed tampering)', `verified on ${FAULTY}`]),
    );
  });

  it('flags an honest answer rolled back by a check (a false rollback)', () => {
    const { tracker, plain } = setUp();
    tracker.decisionEvent(buildEvent(plain, 'decision.acted', { nodeId: HONEST }));
    tracker.decisionEvent(
      buildEvent(plain, 'decision.rolled_back', {
        nodeId: HONEST,
        failedCheck: 'proof',
        reason: 'fail: proof_invalid',
      }),
    );
    tracker.finished(plain.decisionId, { status: 'ROLLED_BACK', attempt: 1, failedCheck: 'proof' });
    const deviations = checkExpectations([tracker.decisions.get(plain.decisionId)!], roles, ['wrong_output']);
    expect(deviations.map((d) => d.expected)).toEqual([
      'ends VERIFIED',
      'attempt 1 on an honest node passes verification',
    ]);
  });

  it('flags a faulty answer caught by a check its fault does not name', () => {
    const { tracker, plain } = setUp();
    tracker.decisionEvent(buildEvent(plain, 'decision.acted', { nodeId: FAULTY }));
    tracker.decisionEvent(
      buildEvent(plain, 'decision.rolled_back', {
        nodeId: FAULTY,
        failedCheck: 'attestation',
        reason: 'fail: attestation_expired',
      }),
    );
    tracker.finished(plain.decisionId, { status: 'ROLLED_BACK', attempt: 1, failedCheck: 'attestation' });
    const [, second] = checkExpectations([tracker.decisions.get(plain.decisionId)!], roles, ['wrong_output']);
    expect(second).toMatchObject({
      expected: 'attempt 1 on the faulty node is caught by reexecution or proof',
      actual: 'rolled back by attestation',
    });
  });

  it('checks the scripted ERP outcome and whether the decision asked for approval', () => {
    const { tracker, plans } = setUp();
    const rejected = plans.find((p) => p.spec.erp === 'reject')!;
    tracker.finished(rejected.decisionId, { status: 'ROLLED_BACK', attempt: 1, failedCheck: 'approval' });
    expect(checkExpectations([tracker.decisions.get(rejected.decisionId)!], roles, [])).toEqual([
      { decisionId: rejected.decisionId, expected: 'waits for ERP approval', actual: 'never asked for approval' },
    ]);
    const unfinished = plans.find((p) => p.spec.erp === 'cancel')!;
    expect(checkExpectations([tracker.decisions.get(unfinished.decisionId)!], roles, [])).toEqual([
      { decisionId: unfinished.decisionId, expected: 'ends ROLLED_BACK', actual: 'no final outcome' },
    ]);
  });
});
