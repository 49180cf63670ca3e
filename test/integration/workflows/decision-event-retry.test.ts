// A decision whose event publishes lose their completion after sending (the worker "dies" between Kafka's ack and
// Temporal hearing of it: the first attempt sends, then fails) on a real Temporal worker and the real broker: the
// retries find their events on the topic and do not send them again. Without the lookup the same run duplicates
// both events, which is what the chaos suite saw. The other activities are the scripted fakes of the workflow tests.
import fs from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import { createEventActivities } from '../../../activities/events';
import type { DecisionOutcome } from '../../../src/contracts/decision-outcome';
import { createKafka } from '../../../src/kafka/client';
import {
  createDecisionEventPublisher,
  type DecisionEventPublisher,
  type PublishAttempt,
} from '../../../src/kafka/decision-events';
import { createIdempotentProducer } from '../../../src/kafka/producer';
import { createPublishedEventLookup } from '../../../src/kafka/published-event-lookup';
import { ensureTopics } from '../../../src/kafka/topics';
import { testConfig, testLogger } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { readWholeTopic } from '../chaos/support/topic-reader';
import { buildRequisition } from '../decisions/support/events';
import { createFakeActivities } from './support/fake-activities';

const config = testConfig();
const logger = testLogger('event-retry-test', config);
let env: TestWorkflowEnvironment;
let bundle: string;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  const file = process.env.PROOFPATH_TEST_WORKFLOW_BUNDLE;
  if (!file) throw new Error('PROOFPATH_TEST_WORKFLOW_BUNDLE is unset: run through jest (the global setup bundles it)');
  bundle = fs.readFileSync(file, 'utf8');
  env = await TestWorkflowEnvironment.createFromExistingServer({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
  });
  kafka = createKafka(config, logger, 'event-retry-test');
  producer = createIdempotentProducer(kafka);
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await env?.teardown();
});

/** Sends through `publisher`, then fails the first attempt of each event as a worker lost after the send would. */
function losingFirstCompletion(publisher: DecisionEventPublisher) {
  const attempts: Array<{ eventId: string; activityAttempt: number; firstScheduledAtMs: number }> = [];
  const decisionEvents: DecisionEventPublisher = {
    async publish(input, attempt?: PublishAttempt) {
      const event = await publisher.publish(input, attempt);
      attempts.push({
        eventId: event.id,
        activityAttempt: attempt?.activityAttempt ?? 0,
        firstScheduledAtMs: attempt?.firstScheduledAtMs ?? 0,
      });
      if (attempt?.activityAttempt === 1) throw new Error('worker lost after sending (test)');
      return event;
    },
  };
  return { decisionEvents, attempts };
}

async function decideWithLostCompletions(withLookup: boolean) {
  const topic = uniqueName('decisions-retry');
  await ensureTopics(config, logger, [topic]);
  const lookup = withLookup
    ? createPublishedEventLookup(kafka, { clockSkewMs: 60_000, timeoutMs: 15_000, groupPrefix: uniqueName('lookup') })
    : undefined;
  const publisher = createDecisionEventPublisher(producer, topic, 'urn:proofpath:test', { lookup, logger });
  const { decisionEvents, attempts } = losingFirstCompletion(publisher);
  const taskQueue = uniqueName('event-retry');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: { code: bundle },
    activities: { ...createFakeActivities(env.client).activities, ...createEventActivities({ decisionEvents }) },
  });
  const outcome = await worker.runUntil(
    env.client.workflow.execute('procurementDecision', {
      taskQueue,
      workflowId: uniqueName('procurement'),
      args: [
        {
          requisition: buildRequisition(),
          settings: {
            approvalThreshold: 1_000_000,
            approvalTimeoutMs: 60_000,
            escalationTimeoutMs: 60_000,
            verificationTimeoutMs: 60_000,
            maxAttempts: 1,
          },
        },
      ],
    }) as Promise<DecisionOutcome>,
  );
  const ids = (await readWholeTopic(kafka, topic, 30_000)).map((e) => String(e.id));
  return { outcome, ids, attempts };
}

it('does not publish an event again when its first attempt sent it and then failed', async () => {
  const { outcome, ids, attempts } = await decideWithLostCompletions(true);

  expect(outcome.status).toBe('VERIFIED');
  const acted = `${outcome.decisionId}/decision.acted/1`;
  const verified = `${outcome.decisionId}/decision.verified/1`;
  expect(ids).toEqual([acted, verified]);
  // Each event was tried twice by Temporal (sent, then "lost"; found, then completed), and the retry looked from the
  // first attempt's scheduling time (Temporal keeps it across retries), not its own.
  const [actedFirst, actedRetry, verifiedFirst, verifiedRetry] = attempts;
  expect(actedRetry?.firstScheduledAtMs).toBe(actedFirst?.firstScheduledAtMs);
  expect(verifiedRetry?.firstScheduledAtMs).toBe(verifiedFirst?.firstScheduledAtMs);
  expect(verifiedFirst!.firstScheduledAtMs).toBeGreaterThan(actedFirst!.firstScheduledAtMs);
  expect(attempts.map(({ eventId, activityAttempt }) => ({ eventId, activityAttempt }))).toEqual([
    { eventId: acted, activityAttempt: 1 },
    { eventId: acted, activityAttempt: 2 },
    { eventId: verified, activityAttempt: 1 },
    { eventId: verified, activityAttempt: 2 },
  ]);
});

it('publishes each such event twice without the lookup (the duplicate the chaos suite found)', async () => {
  const { outcome, ids } = await decideWithLostCompletions(false);

  expect(outcome.status).toBe('VERIFIED');
  const acted = `${outcome.decisionId}/decision.acted/1`;
  const verified = `${outcome.decisionId}/decision.verified/1`;
  expect(ids).toEqual([acted, acted, verified, verified]);
});
