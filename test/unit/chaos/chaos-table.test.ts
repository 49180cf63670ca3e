// The chaos suite's own arithmetic: its schedule covers every fault kind and replays by seed, and its table counts
// a false rollback, a missed tampering, a double payment, a duplicate action or event and a lost event as such.
import {
  brokenFigures,
  chaosTable,
  duplicatedEvents,
  type ObservedDecision,
  type ObservedWorld,
} from '../../integration/chaos/support/invariants';
import { FAULT_KINDS, planChaos } from '../../integration/chaos/support/schedule';

const FAULTY = '0xFaU17';
const HONEST = '0xh0n35t';

function buildDecision(overrides: Partial<ObservedDecision> = {}): ObservedDecision {
  return {
    workflowId: `procurement-${Math.random()}`,
    cancelSent: false,
    runs: ['COMPLETED'],
    audit: {
      status: 'VERIFIED',
      outcome: { status: 'VERIFIED', code: 'verified' },
      inferences: [{ receiptId: 'r1', nodeId: HONEST, paymentRef: 'p1' } as never],
      previousAttempts: [],
    },
    liveActions: 1,
    ...overrides,
  };
}

function buildWorld(decisions: ObservedDecision[], overrides: Partial<ObservedWorld> = {}): ObservedWorld {
  return {
    decisions,
    events: decisions.map((d) => ({
      id: `${d.workflowId}/decision.verified/1`,
      type: 'decision.verified',
      subject: d.workflowId,
    })),
    transfersToNodes: decisions.length,
    authorizationNonces: decisions.map((_, i) => `n${i}`),
    faultyNodeId: FAULTY,
    heldProofReceipts: new Set(),
    ...overrides,
  };
}

const rolledBackOn = (nodeId: string, receiptId = 'r9') => ({
  status: 'ROLLED_BACK' as const,
  outcome: { status: 'ROLLED_BACK' as const, code: 'verification_failed' as const },
  inferences: [{ receiptId, nodeId, paymentRef: receiptId } as never],
  previousAttempts: [],
});

describe('chaos schedule', () => {
  it('gives every fault kind at least once, even in a short run, and replays by seed', () => {
    const plan = planChaos(5, 12);
    expect(new Set(plan.faults.map((f) => f.fault))).toEqual(new Set(FAULT_KINDS));
    expect(planChaos(5, 12)).toEqual(plan);
    expect(planChaos(6, 12)).not.toEqual(plan);
    expect(plan.faults.every((f) => f.afterEvent >= 1 && f.afterEvent < 11)).toBe(true);
  });
});

describe('chaos table', () => {
  it('is all zeros for clean verified decisions', () => {
    const table = chaosTable(buildWorld([buildDecision(), buildDecision()]));
    expect(table).toMatchObject({
      verified: 2,
      duplicateEvents: 0,
      falseRollbacks: 0,
      missedTamperings: 0,
      doublePayments: 0,
    });
  });

  it('counts a rollback on an honest node as false unless its proof was held back or it was cancelled', () => {
    const honest = buildDecision({ audit: rolledBackOn(HONEST, 'r7'), liveActions: 0 });
    expect(chaosTable(buildWorld([honest])).falseRollbacks).toBe(1);
    expect(chaosTable(buildWorld([honest], { heldProofReceipts: new Set(['r7']) })).falseRollbacks).toBe(0);
    const cancelled = buildDecision({
      cancelSent: true,
      liveActions: 0,
      audit: { ...rolledBackOn(HONEST), outcome: { status: 'ROLLED_BACK', code: 'cancelled' } },
    });
    expect(chaosTable(buildWorld([cancelled])).falseRollbacks).toBe(0);
  });

  it('counts a verified attempt on the faulty node as a missed tampering, and its re-decision as re-decided', () => {
    const missed = buildDecision({
      audit: {
        ...buildDecision().audit!,
        inferences: [{ receiptId: 'r2', nodeId: FAULTY.toLowerCase(), paymentRef: 'p' } as never],
      },
    });
    const redecided = buildDecision({
      audit: {
        ...buildDecision().audit!,
        previousAttempts: [
          { outcome: { status: 'ROLLED_BACK' }, inferences: [{ receiptId: 'r3', nodeId: FAULTY }] } as never,
        ],
      },
    });
    const table = chaosTable(buildWorld([missed, redecided], { transfersToNodes: 3 }));
    expect(table).toMatchObject({
      missedTamperings: 1,
      reDecided: 1,
      rolledBackAttempts: 1,
      falseRollbacks: 0,
      paidInferences: 3,
    });
  });

  it('counts double payments, duplicate actions and events, lost and open workflows', () => {
    const decisions = [
      buildDecision({ liveActions: 2 }),
      buildDecision({ runs: [] }),
      buildDecision({ runs: ['RUNNING'] }),
    ];
    const world = buildWorld(decisions, { authorizationNonces: ['a', 'a', 'b'], transfersToNodes: 4 });
    world.events.push(world.events[0]!);
    expect(chaosTable(world)).toMatchObject({
      doublePayments: 2,
      duplicateActions: 1,
      duplicateEvents: 1,
      lostEvents: 1,
      openWorkflows: 1,
    });
  });

  it('in escrow mode, counts holds as payments and checks that money followed each verdict', () => {
    const decisions = [
      buildDecision(),
      buildDecision({
        audit: { ...rolledBackOn(FAULTY), status: 'VERIFIED', outcome: { status: 'VERIFIED', code: 'verified' } },
      }),
      buildDecision({ audit: rolledBackOn(HONEST), cancelSent: true, liveActions: 0 }),
    ];
    decisions[2]!.audit!.outcome = { status: 'ROLLED_BACK', code: 'cancelled' } as never;
    const clean = buildWorld(decisions.slice(0, 1), { escrow: { held: 1, capturedTo: [HONEST], refunded: 0 } });
    expect(brokenFigures(chaosTable(clean))).toEqual([]);

    // The faulty node's result verified and its hold captured; the cancelled decision's hold never refunded.
    const world = buildWorld(decisions, {
      transfersToNodes: 0,
      escrow: { held: 3, capturedTo: [HONEST, FAULTY], refunded: 0 },
    });
    expect(chaosTable(world)).toMatchObject({
      payments: 3,
      captured: 2,
      refunded: 0,
      capturedToFaultyNode: 1,
      verifiedNotCaptured: 0,
      rolledBackNotRefunded: 1,
      missedTamperings: 1,
    });
    expect(brokenFigures(chaosTable(world))).toEqual(
      expect.arrayContaining(['capturedToFaultyNode 1', 'rolledBackNotRefunded 1', 'missedTamperings 1']),
    );
  });

  it('never reports the escrow figures outside escrow mode', () => {
    expect(chaosTable(buildWorld([buildDecision()]))).not.toHaveProperty('captured');
  });

  it('names each duplicated event id with its type, decision and count', () => {
    const [a, b] = [buildDecision(), buildDecision()];
    const world = buildWorld([a!, b!]);
    const acted = { id: `${b!.workflowId}/decision.acted/2`, type: 'decision.acted', subject: b!.workflowId };
    world.events.push(world.events[0]!, acted, world.events[0]!, acted);
    expect(duplicatedEvents(world)).toEqual([
      { ...world.events[0]!, count: 3 },
      { ...acted, count: 2 },
    ]);
    expect(chaosTable(world).duplicateEvents).toBe(3);
    expect(duplicatedEvents(buildWorld([a!, b!]))).toEqual([]);
  });
});

describe('broken figures', () => {
  it('counts a hold neither captured nor refunded, and a figure that is missing', () => {
    const world = buildWorld([buildDecision()], { escrow: { held: 2, capturedTo: [HONEST], refunded: 0 } });
    expect(chaosTable(world)).toMatchObject({ unreleasedHolds: 1 });
    expect(brokenFigures(chaosTable(world))).toContain('unreleasedHolds 1');
    const { duplicateEvents: _dropped, ...withoutOne } = chaosTable(buildWorld([buildDecision()]));
    expect(brokenFigures(withoutOne as never)).toEqual(['duplicateEvents undefined']);
  });
});
