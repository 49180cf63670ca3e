// Chaos, first slice: many decisions through Kafka while a seeded, printed schedule SIGKILLs and restarts the worker
// process and redelivers events; the invariants are read from independent sources (Temporal visibility, chain logs,
// the ERP/TMS journal, the decisions topic), not from the engine's counters. CHAOS_SEED and CHAOS_DECISIONS pick the run.
import type { ChildProcess } from 'node:child_process';
import { parseAbiItem } from 'viem';
import { createReadClient } from '../../../src/chain';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { auditQuery } from '../../../src/contracts/decision-messages';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, buildShipment, requisitionCreated, shipmentReady } from '../decisions/support/events';

const SEED = Number(process.env.CHAOS_SEED ?? 1207);
const DECISIONS = Number(process.env.CHAOS_DECISIONS ?? 12);

/** mulberry32: a small seeded generator, so a failing schedule can be replayed by its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = { atEvent: number; fault: 'kill_worker' | 'redeliver' };

describe(`decisions under faults (seed ${SEED}, ${DECISIONS} decisions)`, () => {
  let engine: Engine;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    engine = await startEngine();
    await engine.stopWorker(); // the worker runs as its own process, so the schedule can SIGKILL it
    worker = await engine.startWorkerProcess();
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await engine?.close();
  });

  it('ends every event in exactly one decision, paid once, acted on once, with no false rollback', async () => {
    const random = seeded(SEED);
    const events = Array.from({ length: DECISIONS }, (_, i) =>
      i % 2 === 0
        ? { kind: 'procurement' as const, key: '', event: requisitionCreated(buildRequisition()) }
        : { kind: 'routing' as const, key: '', event: shipmentReady(buildShipment()) },
    ).map((e) => ({ ...e, key: e.event.subject }));
    const schedule: Step[] = [];
    for (let i = 1; i < DECISIONS; i++) {
      const r = random();
      if (r < 0.15) schedule.push({ atEvent: i, fault: 'kill_worker' });
      else if (r < 0.4) schedule.push({ atEvent: i, fault: 'redeliver' });
    }
    console.log(`chaos seed ${SEED}: schedule ${JSON.stringify(schedule)}`);

    const injected = { kill_worker: 0, redeliver: 0 };
    for (const [i, { event }] of events.entries()) {
      await engine.emit(event);
      for (const step of schedule.filter((s) => s.atEvent === i)) {
        if (step.fault === 'kill_worker') {
          worker?.kill('SIGKILL');
          await new Promise((r) => setTimeout(r, 500 + Math.floor(random() * 1500)));
          worker = await engine.startWorkerProcess();
        } else {
          // A redelivery: an earlier event, byte for byte, as Kafka delivers after a consumer crash.
          await engine.emit(events[Math.floor(random() * i)]!.event);
        }
        injected[step.fault] += 1;
      }
      await new Promise((r) => setTimeout(r, 200 + Math.floor(random() * 400)));
    }

    const ids = events.map((e) => decisionWorkflowId(e.kind, e.key));
    const finals = await engine.waitFor(
      'every decision final',
      () => {
        const all = ids.map((id) =>
          engine
            .decisionEvents(id)
            .find((e) => ['decision.verified', 'decision.rolled_back', 'decision.failed'].includes(e.type)),
        );
        return all.every(Boolean) ? all : undefined;
      },
      600_000,
    );

    // Temporal visibility: one execution per input event, none still open.
    const runs = await Promise.all(
      ids.map(async (id) => {
        const found = [];
        for await (const w of engine.client.workflow.list({ query: `WorkflowId = "${id}"` })) found.push(w.status.name);
        return found;
      }),
    );
    // Kafka: every decision.* event id once.
    const decisionEvents = ids.flatMap((id) => engine.decisionEvents(id));
    const duplicateEvents = decisionEvents.length - new Set(decisionEvents.map((e) => e.id)).size;
    // ERP/TMS journal: one live action per verified decision.
    const actions = await Promise.all(
      events.map(async (e, i) =>
        e.kind === 'procurement'
          ? (await engine.erp.listPurchaseOrders({ decisionId: ids[i] })).filter((o) => o.status !== 'cancelled').length
          : (await engine.tms.listTenders({ decisionId: ids[i] })).filter((t) => t.status !== 'retracted').length,
      ),
    );
    // Chain: transfers to the node = paid inferences in the audits; every authorization nonce used once.
    const audits = await Promise.all(ids.map((id) => engine.client.workflow.getHandle(id).query(auditQuery)));
    const paid = audits.reduce((n, a) => n + a.inferences.length, 0);
    await engine.payments.node.drain();
    const chain = createReadClient(engine.config);
    const token = engine.payments.deployment.token.address;
    const transfers = await chain.getLogs({
      address: token,
      event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
      args: { to: engine.payments.nodeAddress },
      fromBlock: 0n,
    });
    const nonces = await chain.getLogs({
      address: token,
      event: parseAbiItem('event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)'),
      fromBlock: 0n,
    });

    const table = {
      seed: SEED,
      decisions: DECISIONS,
      faults: injected,
      verified: finals.filter((f) => f!.type === 'decision.verified').length,
      rolledBack: finals.filter((f) => f!.type === 'decision.rolled_back').length,
      failed: finals.filter((f) => f!.type === 'decision.failed').length,
      paidInferences: paid,
      transfers: transfers.length,
      doublePayments: nonces.length - new Set(nonces.map((l) => l.args.nonce)).size,
      duplicateActions: actions.filter((n) => n > 1).length,
      duplicateEvents,
      lostEvents: runs.filter((r) => r.length === 0).length,
      extraWorkflows: runs.filter((r) => r.length > 1).length,
      openWorkflows: runs.flat().filter((s) => s === 'RUNNING').length,
      falseRollbacks: finals.filter((f) => f!.type !== 'decision.verified').length, // every node here is honest
    };
    console.log(`chaos result\n${JSON.stringify(table, null, 2)}`);
    expect(table).toMatchObject({
      verified: DECISIONS,
      paidInferences: DECISIONS,
      transfers: DECISIONS,
      doublePayments: 0,
      duplicateActions: 0,
      duplicateEvents: 0,
      lostEvents: 0,
      extraWorkflows: 0,
      openWorkflows: 0,
      falseRollbacks: 0,
    });
    expect(actions.every((n) => n === 1)).toBe(true);
  }, 900_000);
});
