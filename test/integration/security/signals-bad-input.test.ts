// Bad-input campaign on the decision's messages: hostile approve/reject/amend updates are refused by their validators
// (the caller gets the reason), hostile cancel and verdict signals are recorded and ignored, the decision keeps
// waiting for its approval, and a valid approval after them still carries it to a verified end.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import fc from 'fast-check';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import {
  amendUpdate,
  approveUpdate,
  auditQuery,
  cancelSignal,
  rejectUpdate,
  statusQuery,
  verdictSignal,
} from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, requisitionCreated } from '../decisions/support/events';
import { createTally } from './support/tally';

const tally = createTally();

describe('bad input to a running decision (signals and updates)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({
      env: { DECISION_APPROVAL_THRESHOLD: '5000', DECISION_APPROVAL_TIMEOUT_MS: '300000' },
    });
  });
  afterAll(async () => {
    console.log(`bad-input campaign (signals and updates)\n${tally.table()}`);
    if (process.env.BAD_INPUT_COUNTS_FILE) tally.save(process.env.BAD_INPUT_COUNTS_FILE);
    await engine?.close();
  });

  it('refuses hostile updates, ignores hostile signals, and still proceeds on a valid approval', async () => {
    const requisition = buildRequisition({ quantity: 900 });
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    const handle = engine.client.workflow.getHandle(id);
    await engine.emit(requisitionCreated(requisition));
    await engine.waitFor(`${id} awaiting approval`, async () =>
      (await handle.query(statusQuery).catch(() => undefined))?.status === 'AWAITING_APPROVAL' ? true : undefined,
    );

    const hostileUpdates = [
      ...fc
        .sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed: 21 })
        .map((v) => ({ update: approveUpdate, name: 'approve', arg: v })),
      ...fc
        .sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed: 22 })
        .map((v) => ({ update: rejectUpdate, name: 'reject', arg: v })),
      ...fc
        .sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed: 23 })
        .map((v) => ({ update: amendUpdate, name: 'amend', arg: v })),
      { update: approveUpdate, name: 'approve', arg: { approver: '' } },
      { update: approveUpdate, name: 'approve', arg: { approver: 'x'.repeat(100_000) } },
      {
        update: approveUpdate,
        name: 'approve',
        arg: { approver: 'cfo@example.com', __proto__: { admin: true }, extra: 1 },
      },
      { update: amendUpdate, name: 'amend', arg: { quantity: -1 } },
      { update: amendUpdate, name: 'amend', arg: { promisedBy: '2026-12-31T00:00:00Z' } },
    ];
    for (const { update, name, arg } of hostileUpdates) {
      const error = await handle.executeUpdate(update as typeof approveUpdate, { args: [arg as never] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const reason =
        error instanceof WorkflowUpdateFailedError
          ? ((error.cause as { type?: string } | undefined)?.type ?? 'update_failed')
          : error
            ? `error: ${(error as Error).message.slice(0, 60)}`
            : 'accepted';
      tally.record(`update ${name}`, JSON.stringify(arg).slice(0, 40), {
        refused:
          error instanceof WorkflowUpdateFailedError ||
          (error instanceof Error && /size|too large/i.test(error.message)),
        reason,
      });
    }
    for (const surface of ['update approve', 'update reject', 'update amend'])
      expect(tally.counts(surface).refused).toBe(tally.counts(surface).tried);

    const hostileSignals = [
      ...fc
        .sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed: 31 })
        .map((v) => ({ signal: cancelSignal, name: 'cancel', arg: v })),
      ...fc
        .sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 20, seed: 32 })
        .map((v) => ({ signal: verdictSignal, name: 'verdict', arg: v })),
      // A well-formed verdict for a receipt this decision never paid for: not its business.
      {
        signal: verdictSignal,
        name: 'verdict',
        arg: {
          receiptId: '0xunknown',
          decisionId: id,
          verified: false,
          verifiedAt: new Date().toISOString(),
          checks: [],
        },
      },
    ];
    const trailBefore = (await handle.query(auditQuery)).trail.length;
    for (const { signal, arg } of hostileSignals) await handle.signal(signal as typeof cancelSignal, arg as never);
    const audit = await engine.waitFor('hostile signals recorded', async () => {
      const a = await handle.query(auditQuery);
      const ignored = a.trail
        .slice(trailBefore)
        .filter((e) => e.step === 'cancel_ignored' || e.step === 'verdict_ignored').length;
      return ignored >= 40 ? a : undefined;
    });
    const ignored = audit.trail
      .slice(trailBefore)
      .filter((e) => e.step === 'cancel_ignored' || e.step === 'verdict_ignored');
    for (const [i, { name, arg }] of hostileSignals.entries()) {
      const noted = i < 40 ? ignored[i] : undefined;
      tally.record(`signal ${name}`, JSON.stringify(arg).slice(0, 40), {
        refused: i < 40 ? noted !== undefined : true,
        reason: noted?.step ?? 'ignored: receipt not of this decision',
      });
    }
    expect(
      audit.trail.slice(trailBefore).some((e) => e.step === 'cancel_requested' || e.step === 'verdict_received'),
    ).toBe(false);
    expect((await handle.query(statusQuery)).status).toBe('AWAITING_APPROVAL');

    await expect(
      handle.executeUpdate(approveUpdate, { args: [{ approver: 'cfo@example.com', comment: 'after the noise' }] }),
    ).resolves.toMatchObject({ accepted: true });
    const final = await engine.waitFor(
      `final event of ${id}`,
      () =>
        engine
          .decisionEvents(id)
          .find((e) => ['decision.verified', 'decision.rolled_back', 'decision.failed'].includes(e.type)),
      180_000,
    );
    expect(final.type).toBe('decision.verified');
  }, 300_000);
});
