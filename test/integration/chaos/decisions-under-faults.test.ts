// Chaos: many decisions (procurement and routing, some approved through the ERP's update, some cancelled) through
// Kafka on a private stack, every engine part its own OS process (two workers, two honest nodes and a faulty one,
// facilitator, verifier, ERP/TMS, bridge), while a schedule drawn from CHAOS_SEED (printed) kills and restarts
// processes, restarts Kafka and Temporal, crashes a node between payment verification and its answer, takes the
// facilitator down for 30 s, makes the chain RPC fail, holds proofs back past the timeout and redelivers events.
// The invariants come from independent sources (see support/invariants.ts); the table goes to the console and to
// test-artifacts/chaos/last-run.json. Bounded: a run that does not settle fails with the open decisions named.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Kafka, Producer } from 'kafkajs';
import { parseAbiItem } from 'viem';
import { createReadClient, ESCROW_ADDRESS, paymentAssetOf } from '../../../src/chain';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { approveUpdate, auditQuery } from '../../../src/contracts/decision-messages';
import { createErpClient } from '../../../src/erp';
import { createKafka } from '../../../src/kafka/client';
import { createIdempotentProducer } from '../../../src/kafka/producer';
import { createTmsClient } from '../../../src/tms';
import { testLogger } from '../../support/test-config';
import {
  buildRequisition,
  buildShipment,
  requisitionCancelled,
  requisitionCreated,
  shipmentReady,
} from '../decisions/support/events';
import { startCluster, type Cluster, type ProcessName } from './support/cluster';
import { readWholeTopic } from './support/topic-reader';
import {
  startChainFaultProxy,
  startCrashAfterVerifyProxy,
  startProofHoldProxy,
  type ChainFaultProxy,
  type CrashAfterVerifyProxy,
  type ProofHoldProxy,
} from './support/fault-injectors';
import {
  brokenFigures,
  chaosTable,
  duplicatedEvents,
  failedDecisions,
  unaccountedNonces,
  unexplainedRollbacks,
  type ObservedDecision,
} from './support/invariants';
import { startPrivateStack, type PrivateStack } from './support/private-stack';
import { FAULT_KINDS, planChaos, seeded, type FaultKind } from './support/schedule';

const SEED = Number(process.env.CHAOS_SEED ?? 1207);
const DECISIONS = Number(process.env.CHAOS_DECISIONS ?? 16);
/** How long the decisions may take to end after the last event was sent, before the run fails. */
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_MS ?? 15 * 60_000);
/** Mean gap between two input events (uniform in [0.5, 1.5] times it). */
const PACE_MS = Number(process.env.CHAOS_PACE_MS ?? 1_500);
/**
 * The settlement modes to run, one after the other, each on a fresh private stack (default both). In escrow mode the
 * payments wait in the escrow for the verdicts, and the run checks that the money followed each one.
 */
const MODES = (process.env.CHAOS_SETTLEMENT_MODES ?? 'deferred,escrow').split(',').map((m) => m.trim());
const FACILITATOR_DOWN_MS = 30_000;
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/chaos');

/**
 * The engine's settings for the run. The timeouts are sized for nine engine processes, Kafka, Temporal and anvil
 * sharing two cores: with the verifier's 5 s attestation and 60 s proof budgets, honest decisions rolled back when
 * the provers fell behind (fail-safe, but false rollbacks); in escrow mode (three transactions per inference) a node
 * restarted with 25 proofs to make again finished some seconds after a 120 s budget (9 false rollbacks in 200). The
 * proof budget stays under the decision's verification timeout. See the README's chaos section.
 */
const settingsFor = (mode: string) => ({
  DECISION_APPROVAL_THRESHOLD: '2000', // a 300-unit requisition (about 2,700) needs approval, 100 units do not
  DECISION_APPROVAL_TIMEOUT_MS: '900000',
  DECISION_ESCALATION_TIMEOUT_MS: '900000',
  DECISION_VERIFICATION_TIMEOUT_MS: '300000',
  VERIFY_PROOF_TIMEOUT_MS: '240000',
  VERIFY_ATTESTATION_TIMEOUT_MS: '20000',
  VERIFY_REEXECUTION_TIMEOUT_MS: '30000',
  DECISION_MAX_ATTEMPTS: '3',
  PAYMENT_SETTLEMENT_MODE: mode,
  // Deferred settlements are retried until their authorization expires: valid 15 min, so that a settlement queue
  // slowed by the facilitator's outage (30 s plus its restart) and the RPC faults still lands in time.
  PAYMENT_SETTLE_BACKOFF_MS: '500',
  PAYMENT_MAX_TIMEOUT_SECONDS: '900',
  // Escrow mode: a hold outlives the authorization window and the decision's verification timeout.
  PAYMENT_ESCROW_CAPTURE_WINDOW_SECONDS: '3600',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `work` over `items`, ten at a time (the dev server answers a few hundred queries at once slowly, or not at all). */
async function inBatches<T, R>(items: T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 10)
    results.push(...(await Promise.all(items.slice(i, i + 10).map((item, j) => work(item, i + j)))));
  return results;
}

/** Retries `work` until it succeeds or `ms` passed (a service is restarting); then rethrows with `what`. */
async function persist<T>(what: string, work: () => Promise<T>, ms = 180_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`chaos: ${what} kept failing for ${ms} ms: ${String(error)}`);
      await sleep(1_000);
    }
  }
}

describe.each(MODES)(`decisions under faults (seed ${SEED}, ${DECISIONS} decisions, %s settlement)`, (MODE) => {
  let stack: PrivateStack | undefined;
  let cluster: Cluster | undefined;
  let proxies: { chain: ChainFaultProxy; crash: CrashAfterVerifyProxy; proofs: ProofHoldProxy } | undefined;
  let connection: Connection | undefined;
  let kafka: Kafka;
  let producer: Producer | undefined;
  let approving = false;
  let approver: Promise<void> | undefined;
  let started = Date.now();
  // One artifact and log folder per mode: last-run.json for deferred (as before), last-run-escrow.json for escrow.
  const ARTIFACT = path.join(ARTIFACTS, MODE === 'deferred' ? 'last-run.json' : `last-run-${MODE}.json`);
  const LOGS = path.join(ARTIFACTS, MODE === 'deferred' ? 'logs' : `logs-${MODE}`);

  beforeAll(async () => {
    started = Date.now();
    stack = await startPrivateStack();
    const stackUpAt = Date.now();
    const { ports } = stack;
    proxies = {
      chain: await startChainFaultProxy(stack.config.chain.rpcUrl, SEED),
      crash: await startCrashAfterVerifyProxy(`http://127.0.0.1:${ports.facilitator}`),
      proofs: await startProofHoldProxy(`http://127.0.0.1:${ports.nodeB}`),
    };
    cluster = await startCluster({
      stack,
      proxies: {
        chainRpcUrl: proxies.chain.url,
        nodeBUrl: proxies.proofs.url,
        facilitatorForNodeBUrl: proxies.crash.url,
      },
      settings: settingsFor(MODE),
      faultyNodeFaults: 'wrong_output',
    });
    connection = await Connection.connect({ address: stack.config.temporal.address });
    // Quiet: the broker is down on purpose during the run, and kafkajs logs every reconnect attempt as an error.
    kafka = createKafka(stack.config, testLogger('chaos', { ...stack.config, logLevel: 'fatal' }), 'chaos');
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    console.log(
      `chaos: private stack up in ${Math.round((stackUpAt - started) / 1000)} s, engine processes in ${Math.round((Date.now() - stackUpAt) / 1000)} s`,
    );
  }, 900_000);

  afterAll(async () => {
    approving = false;
    await approver;
    await producer?.disconnect().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await cluster?.close();
    await Promise.all([proxies?.chain.close(), proxies?.crash.close(), proxies?.proofs.close()]);
    await stack?.close(LOGS);
  }, 120_000);

  it(
    'ends every event in exactly one decision, paid once, acted on once, no tampering kept, no false rollback',
    async () => {
      const { config } = stack!;
      const client = new Client({ connection: connection!, namespace: config.temporal.namespace });
      const plan = planChaos(SEED, DECISIONS);
      const random = seeded(SEED + 1);
      console.log(`chaos seed ${SEED}: ${DECISIONS} decisions; faults ${JSON.stringify(plan.faults)}`);

      const emit = (event: { subject: string }) =>
        persist('sending an event', () =>
          producer!.send({
            topic: config.kafka.inputTopic,
            acks: -1,
            messages: [{ key: event.subject, value: JSON.stringify(event) }],
          }),
        );
      const inputs = plan.events.map((p) =>
        p.kind === 'procurement'
          ? { ...p, event: requisitionCreated(buildRequisition({ quantity: p.needsApproval ? 300 : 100 })) }
          : { ...p, event: shipmentReady(buildShipment()) },
      );
      const ids = inputs.map((i) => decisionWorkflowId(i.kind, i.event.subject));

      // The ERP approves whatever waits for it (read from visibility, not from the engine's events).
      approving = true;
      const approvals = { sent: 0 };
      approver = (async () => {
        while (approving) {
          const waiting: string[] = [];
          try {
            for await (const w of client.workflow.list({
              query: 'DecisionStatus = "AWAITING_APPROVAL" AND ExecutionStatus = "Running"',
            }))
              waiting.push(w.workflowId);
          } catch {
            // Temporal is restarting.
          }
          for (const id of waiting)
            await client.workflow
              .getHandle(id)
              .executeUpdate(approveUpdate, { args: [{ approver: 'erp@chaos.example', comment: 'chaos run' }] })
              .then(() => (approvals.sent += 1))
              .catch(() => undefined); // approved already, or not waiting any more
          await sleep(3_000);
        }
      })();

      // Faults: each runs in the background; the stack restarts are serialized (one `stack up` at a time).
      const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
      const background: Array<Promise<unknown>> = [];
      let stackWork: Promise<unknown> = Promise.resolve();
      // One outage at a time per process: a second kill while the first restart is still starting would kill
      // nothing and then start a second copy on the same port.
      const outages = new Map<ProcessName, Promise<unknown>>();
      const outage = (name: ProcessName, work: () => Promise<unknown>) => {
        const next = (outages.get(name) ?? Promise.resolve()).then(work);
        outages.set(name, next);
        return next;
      };
      const restartProcess = (name: ProcessName, downMs: number) =>
        outage(name, async () => {
          cluster!.kill(name);
          await sleep(downMs);
          await persist(`restarting ${name}`, () => cluster!.start(name));
        });
      const inject = (fault: FaultKind, afterEvent: number): Promise<unknown> => {
        injected[fault] += 1;
        const downMs = 500 + Math.floor(random() * 1_500);
        switch (fault) {
          case 'kill_worker':
            return restartProcess(random() < 0.5 ? 'worker1' : 'worker2', downMs);
          case 'kill_bridge':
            return restartProcess('bridge', downMs);
          case 'restart_kafka':
          case 'restart_temporal':
            stackWork = stackWork.then(() => stack!.restart(fault === 'restart_kafka' ? 'kafka' : 'temporal'));
            return stackWork;
          case 'node_crash_after_verify':
            // Started again once the crash happened (node B's next paid request), polled from here.
            return outage('nodeB', async () => {
              proxies!.crash.arm(() => cluster!.kill('nodeB'));
              const before = proxies!.crash.crashes;
              const deadline = Date.now() + 240_000;
              while (proxies!.crash.crashes === before && Date.now() < deadline) await sleep(250);
              if (proxies!.crash.crashes === before) return;
              await sleep(downMs);
              await persist('restarting nodeB', () => cluster!.start('nodeB'));
            });
          case 'facilitator_down':
            return restartProcess('facilitator', FACILITATOR_DOWN_MS);
          case 'chain_rpc_errors':
            proxies!.chain.openWindow(15_000);
            return Promise.resolve();
          case 'slow_proof':
            proxies!.proofs.arm();
            return Promise.resolve();
          case 'redeliver':
            // An earlier event, byte for byte, as Kafka delivers after a consumer crash.
            return emit(inputs[Math.floor(random() * (afterEvent + 1))]!.event);
        }
      };

      const cancelsSent = new Set<string>();
      for (const [i, input] of inputs.entries()) {
        await emit(input.event);
        if (input.cancelAfterMs !== undefined) {
          const requisitionId = input.event.subject;
          background.push(
            sleep(input.cancelAfterMs).then(async () => {
              await emit(requisitionCancelled(requisitionId));
              cancelsSent.add(ids[i]!);
            }),
          );
        }
        for (const step of plan.faults.filter((s) => s.afterEvent === i)) background.push(inject(step.fault, i));
        await sleep(Math.floor(PACE_MS * (0.5 + random())));
      }
      await Promise.all(background);
      const sentAt = Date.now();

      // Every decision ends (its latest run closed), within the bound.
      // Polled with one count (the dev server's SQLite visibility is the bottleneck under this load: per-workflow
      // list queries every few seconds made its namespace cache time out); each workflow id is listed only when
      // nothing runs any more.
      const running = async () => Number((await client.workflow.count('ExecutionStatus = "Running"')).count);
      const statuses = () =>
        inBatches(ids, async (id) => {
          const runs: string[] = [];
          for await (const w of client.workflow.list({ query: `WorkflowId = "${id}"` })) runs.push(w.status.name);
          return runs;
        });
      let runs: string[][] = [];
      for (;;) {
        const quiet = (await persist('counting running decisions', running)) === 0;
        if (quiet) runs = await persist('reading visibility', statuses);
        const ended = quiet && runs.every((r) => r.length > 0 && !r.includes('RUNNING'));
        if (ended || Date.now() - sentAt > SETTLE_MS) break;
        await sleep(10_000);
      }
      if (runs.length === 0) runs = await persist('reading visibility', statuses);
      approving = false;
      await approver;

      // Deferred settlements finish after the answers: give them their retries before reading the chain.
      const chain = createReadClient(config);
      const token = paymentAssetOf(config).address;
      const nodeAddresses = [...cluster!.nodeIds.honest, cluster!.nodeIds.faulty];
      const transfersToNodes = async () =>
        (
          await chain.getLogs({
            address: token,
            event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
            args: { to: nodeAddresses as `0x${string}`[] },
            fromBlock: 0n,
          })
        ).length;
      const audits = await inBatches(ids, (id, i) =>
        runs[i]!.length === 0
          ? Promise.resolve(undefined)
          : persist(`querying ${id}`, () => client.workflow.getHandle(id).query(auditQuery), 60_000).catch(
              () => undefined,
            ),
      );
      const paid = audits.reduce(
        (n, a) =>
          n + (a ? a.inferences.length + (a.previousAttempts ?? []).reduce((m, p) => m + p.inferences.length, 0) : 0),
        0,
      );
      let transfers = await transfersToNodes();
      for (const deadline = Date.now() + 150_000; MODE !== 'escrow' && transfers < paid && Date.now() < deadline;) {
        await sleep(2_000);
        transfers = await transfersToNodes();
      }
      // Escrow mode: every hold, and how each ended (the releases happen inside the decisions, before they close).
      const escrowLogs = async () => {
        const logsOf = (event: string) =>
          chain.getLogs({ address: ESCROW_ADDRESS, event: parseAbiItem(event) as never, fromBlock: 0n });
        const [held, captured, refunded] = await Promise.all([
          logsOf(
            'event PaymentHeld(bytes32 indexed holdId, address indexed payer, address indexed receiver, uint256 amount, uint48 captureDeadline, address verifier)',
          ),
          logsOf(
            'event PaymentCaptured(bytes32 indexed holdId, address indexed verifier, bytes32 indexed receiptDigest, address receiver, uint256 amount)',
          ),
          logsOf(
            'event PaymentRefunded(bytes32 indexed holdId, address indexed by, bytes32 indexed receiptDigest, address payer, uint256 amount, string reason)',
          ),
        ]);
        return {
          held: held.length,
          capturedTo: captured.map((l) => String((l as { args: { receiver: string } }).args.receiver)),
          refunded: refunded.length,
        };
      };
      const escrow = MODE === 'escrow' ? await escrowLogs() : undefined;
      const nonces = await chain.getLogs({
        address: token,
        event: parseAbiItem('event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)'),
        fromBlock: 0n,
      });
      const erp = createErpClient({ baseUrl: cluster!.urls.erp });
      const tms = createTmsClient({ baseUrl: cluster!.urls.erp });
      const liveActions = await Promise.all(
        inputs.map(async (input, i) =>
          input.kind === 'procurement'
            ? (await erp.listPurchaseOrders({ decisionId: ids[i] })).filter((o) => o.status !== 'cancelled').length
            : (await tms.listTenders({ decisionId: ids[i] })).filter((t) => t.status !== 'retracted').length,
        ),
      );
      const events = (await readWholeTopic(kafka, config.kafka.decisionsTopic)).map((e) => ({
        id: String(e.id),
        type: String(e.type),
        subject: String(e.subject),
      }));

      const decisions: ObservedDecision[] = ids.map((workflowId, i) => ({
        workflowId,
        cancelSent: cancelsSent.has(workflowId),
        runs: runs[i]!,
        audit: audits[i],
        liveActions: liveActions[i]!,
      }));
      const world = {
        decisions,
        events,
        transfersToNodes: transfers,
        authorizationNonces: nonces.map((l) => String(l.args.nonce)),
        faultyNodeId: cluster!.nodeIds.faulty,
        heldProofReceipts: proxies!.proofs.held,
        escrow,
      };
      const table = chaosTable(world);
      const report = {
        seed: SEED,
        settlementMode: MODE,
        runtimeSeconds: Math.round((Date.now() - started) / 1000),
        faultsInjected: {
          ...injected,
          node_crash_after_verify: proxies!.crash.crashes,
          chain_rpc_calls_failed: proxies!.chain.injected.failed,
          chain_rpc_calls_delayed: proxies!.chain.injected.delayed,
        },
        approvalsSent: approvals.sent,
        cancelsSent: cancelsSent.size,
        unplannedExits: cluster!.unplannedExits,
        ...table,
        unexplainedRollbacks: unexplainedRollbacks(world),
        failedDecisions: failedDecisions(world),
        unaccountedNonces: unaccountedNonces(world),
        duplicatedEvents: duplicatedEvents(world),
      };
      fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
      fs.writeFileSync(ARTIFACT, JSON.stringify(report, null, 2) + '\n');
      console.log(`chaos result (seed ${SEED}, also in ${ARTIFACT})\n${JSON.stringify(report, null, 2)}`);

      const open = decisions.filter((d) => d.runs.length === 0 || d.runs.includes('RUNNING')).map((d) => d.workflowId);
      if (open.length > 0)
        throw new Error(
          `chaos: ${open.length} decision(s) not ended ${SETTLE_MS / 1000} s after the last event (seed ${SEED}): ${open.slice(0, 10).join(', ')}; logs in ${LOGS}`,
        );
      // Which events were duplicated, named in the failure itself (the whole list is in the artifact).
      const duplicated = report.duplicatedEvents.slice(0, 10).map((e) => `${e.id} x${e.count}`);
      expect(
        brokenFigures(table).map((f) => (f.startsWith('duplicateEvents') ? `${f} (${duplicated.join(', ')})` : f)),
      ).toEqual([]);
      // Money moved for no recorded inference, and decisions that failed: the workload has neither.
      expect(report.unaccountedNonces).toEqual([]);
      expect(report.failedDecisions).toEqual([]);
      expect(table.decisions).toBe(DECISIONS);
    },
    60 * 60_000,
  );
});
