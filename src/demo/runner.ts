// Plays a scenario against a running engine, through its real interfaces only: logistics events onto the input topic,
// the ERP's approve/reject as Temporal updates, cancels as logistics events; it watches the decisions topic, reads
// each decision's final outcome from Temporal and each payment's settlement from the node that was paid.
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { EngineConfig } from '../config';
import { DecisionEventSchema, type DecisionEvent } from '../contracts/events';
import { ModelListingSchema, ReceiptRecordSchema } from '../contracts/inference-http';
import { createIdempotentProducer } from '../kafka/producer';
import type { Logger } from '../log';
import { approveUpdate, rejectUpdate } from '../contracts/decision-messages';
import type { NodeRole } from './expectations';
import type { PlannedDecision, Scenario } from './scenario';
import { createScenarioTracker, reasonCode, type FinalOutcome, type ScenarioTracker } from './tracker';

export type ScenarioNode = { url: string; role: NodeRole };

export type ScenarioRunOptions = {
  config: EngineConfig;
  logger: Logger;
  kafka: Kafka;
  client: Client;
  scenario: Scenario;
  plans: PlannedDecision[];
  nodes: ScenarioNode[];
  /** Gap between two events sent, so the run reads as a stream rather than one burst. */
  paceMs?: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onChange?: (tracker: ScenarioTracker, activity: readonly string[]) => void;
};

export type ScenarioRun = {
  tracker: ScenarioTracker;
  roles: Map<string, NodeRole>;
  activity: string[];
  timedOut: boolean;
};

/** Waits `ms`, or less when `signal` aborts (resolving either way: an abort means "stop waiting", not an error). */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/** node id (lower-case address) → role and URL, from each node's own listing. */
async function identifyNodes(nodes: ScenarioNode[]): Promise<Map<string, ScenarioNode>> {
  const byId = new Map<string, ScenarioNode>();
  for (const node of nodes) {
    const response = await fetch(`${node.url}/v1/models`, { signal: AbortSignal.timeout(5_000) });
    const listing = ModelListingSchema.parse(await response.json());
    byId.set(listing.nodeId.toLowerCase(), node);
  }
  return byId;
}

/** The workflow's result, following re-decisions (continue-as-new) to the last run; waits for the bridge to start it. */
async function finalOutcome(
  client: Client,
  decisionId: string,
  signal?: AbortSignal,
): Promise<FinalOutcome | undefined> {
  while (!signal?.aborted) {
    try {
      return (await client.workflow.getHandle(decisionId).result()) as FinalOutcome;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        await sleep(500, signal);
        continue;
      }
      if (signal?.aborted) return undefined;
      return { status: 'FAILED', attempt: 0, reason: `workflow failed: ${(error as Error).message}` };
    }
  }
  return undefined;
}

export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioRun> {
  const { config, logger, kafka, client, scenario, plans } = options;
  // The play's own stop: the caller's interrupt, or the scenario's timeout, ends every wait, ERP step and poll below.
  const play = new AbortController();
  const stopPlay = () => play.abort();
  options.signal?.addEventListener('abort', stopPlay, { once: true });
  const signal = play.signal;
  // Every decision of the play waits on this one signal at once (30 in the sample scenario): not a listener leak.
  setMaxListeners(0, signal);
  const tracker = createScenarioTracker(plans);
  const plansById = new Map(plans.map((p) => [p.decisionId, p]));
  const nodesById = await identifyNodes(options.nodes);
  const roles = new Map([...nodesById].map(([id, node]) => [id, node.role]));
  const activity: string[] = [];
  const changed = () => options.onChange?.(tracker, activity);
  const note = (line: string) => {
    activity.push(`${new Date().toISOString().slice(11, 19)}  ${line}`);
    changed();
  };
  const short = (decisionId: string) => decisionId.replace(/-[0-9a-z]+$/, '');

  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const send = (plan: PlannedDecision, event: PlannedDecision['created']) =>
    producer.send({
      topic: config.kafka.inputTopic,
      acks: -1,
      messages: [{ key: plan.businessKey, value: JSON.stringify(event) }],
    });

  // The scripted ERP: answers each approval request of a decision the scenario scripts, after a person-like delay.
  const erpStep = async (plan: PlannedDecision, event: DecisionEvent) => {
    await sleep(scenario.erp.delayMs, signal);
    if (signal?.aborted) return;
    const handle = client.workflow.getHandle(plan.decisionId);
    const step = plan.spec.erp ?? 'approve';
    try {
      if (step === 'cancel') {
        await send(plan, plan.cancelled);
        note(`${short(plan.decisionId)}: logistics cancelled it while it waited for approval`);
      } else if (step === 'reject') {
        await handle.executeUpdate(rejectUpdate, {
          args: [{ approver: scenario.erp.approver, reason: 'over the quarterly budget (scenario)' }],
        });
        note(`${short(plan.decisionId)}: the ERP rejected it`);
      } else {
        await handle.executeUpdate(approveUpdate, {
          args: [
            {
              approver: scenario.erp.approver,
              comment: plan.spec.erp ? 'approved (scenario)' : 'approved, though the scenario did not expect a request',
            },
          ],
        });
        note(`${short(plan.decisionId)}: the ERP approved attempt ${event.data.attempt}`);
      }
      tracker.erpAction(plan.decisionId, step);
    } catch (error) {
      logger.warn({ decisionId: plan.decisionId, step, err: error }, 'scenario ERP step refused');
      note(`${short(plan.decisionId)}: ERP ${step} refused: ${(error as Error).message}`);
    }
  };

  const consumer = kafka.consumer({ groupId: `${config.kafka.clientId}-scenario-${Date.now().toString(36)}` });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.decisionsTopic, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      let value: unknown;
      try {
        value = JSON.parse(String(message.value ?? 'null'));
      } catch {
        return; // not an engine event: a message that is not JSON must not stall this consumer
      }
      const parsed = DecisionEventSchema.safeParse(value);
      if (!parsed.success || !tracker.decisionEvent(parsed.data)) return;
      const event = parsed.data;
      const plan = plansById.get(event.data.decisionId);
      if (!plan) return;
      const node = event.data.receipts?.[0]?.nodeId;
      const where = node ? `${roles.get(node.toLowerCase()) ?? 'unknown'} node` : '';
      switch (event.type) {
        case 'decision.acted':
          note(`${short(plan.decisionId)}: acted (attempt ${event.data.attempt}, ${where})`);
          break;
        case 'decision.awaiting_approval':
          note(`${short(plan.decisionId)}: waits for ERP approval`);
          void erpStep(plan, event);
          break;
        case 'decision.verified':
          note(`${short(plan.decisionId)}: verified (attestation, proof, re-execution passed)`);
          break;
        case 'decision.rolled_back':
          note(
            `${short(plan.decisionId)}: rolled back (${event.data.failedCheck ?? '?'}: ${reasonCode(event.data.reason)})${where ? ` on the ${where}` : ''}`,
          );
          break;
        default:
          note(`${short(plan.decisionId)}: ${event.type.replace('decision.', '')}`);
      }
    },
  });
  await Promise.race([joined, sleep(30_000, signal)]);

  // Payments: each receipt's settlement as the paid node reports it.
  let polling = true;
  const pollSettlements = (async () => {
    while (polling && !signal?.aborted) {
      for (const receipt of tracker.receipts.values()) {
        if (receipt.settlement !== 'pending') continue;
        const node = nodesById.get(receipt.nodeId.toLowerCase());
        if (!node) continue;
        try {
          const response = await fetch(`${node.url}/v1/receipts/${receipt.receiptId}`, {
            signal: AbortSignal.timeout(3_000),
          });
          const record = ReceiptRecordSchema.safeParse(await response.json());
          if (record.success && record.data.settlement.status !== 'pending') {
            tracker.settlement(receipt.receiptId, record.data.settlement.status);
            changed();
          }
        } catch {
          // the node is busy or restarting: ask again next round
        }
      }
      await sleep(1_000, signal);
    }
  })();

  const outcomes = plans.map(async (plan, index) => {
    await sleep(index * (options.paceMs ?? 200), signal);
    if (signal?.aborted) return;
    tracker.emitted(plan.decisionId);
    await send(plan, plan.created);
    const outcome = await finalOutcome(client, plan.decisionId, signal);
    if (outcome) {
      tracker.finished(plan.decisionId, outcome);
      changed();
    }
  });
  const everyOutcome = Promise.all(outcomes).then(() => false);
  const deadline = new AbortController();
  const timedOut = await Promise.race([
    everyOutcome,
    sleep(options.timeoutMs, deadline.signal).then(() => !signal.aborted),
  ]);
  deadline.abort();

  // Let the last settlements land before the summary (deferred mode settles right after answering).
  const settleBy = Date.now() + 15_000;
  while (
    !signal?.aborted &&
    Date.now() < settleBy &&
    [...tracker.receipts.values()].some((r) => r.settlement === 'pending')
  )
    await sleep(500, signal);
  polling = false;
  stopPlay(); // late outcomes and ERP steps of an unfinished play stop here, before their clients close
  options.signal?.removeEventListener('abort', stopPlay);
  await pollSettlements;
  await consumer.disconnect();
  await producer.disconnect();
  return { tracker, roles, activity, timedOut };
}
