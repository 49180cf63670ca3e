// A retried publishDecisionEvent on the real broker: it finds what its first attempt sent and does not send it again,
// sends when no earlier attempt did, looks only as far back as the first scheduling minus the clock skew margin, and
// fails (sending nothing) when it cannot read the topic in time. Each test has its own 3-partition topic; the
// activity runs in Temporal's mock activity environment with the attempt and first scheduling time a retry would have.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Kafka, Producer } from 'kafkajs';
import { createEventActivities } from '../../../activities/events';
import { createKafka } from '../../../src/kafka/client';
import { createDecisionEventPublisher } from '../../../src/kafka/decision-events';
import { createIdempotentProducer } from '../../../src/kafka/producer';
import { createPublishedEventLookup, type PublishedEventLookup } from '../../../src/kafka/published-event-lookup';
import { ensureTopics } from '../../../src/kafka/topics';
import { testConfig, testLogger } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { readWholeTopic } from '../chaos/support/topic-reader';

const config = testConfig();
const logger = testLogger('event-lookup-test', config);
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  kafka = createKafka(config, logger, 'event-lookup-test');
  producer = createIdempotentProducer(kafka);
  await producer.connect();
});
// Every lookup made, so that the test file ends only after their background connects (a timed-out lookup's) are closed.
const lookups: PublishedEventLookup[] = [];
afterAll(async () => {
  await Promise.all(lookups.map((lookup) => lookup.settled()));
  await producer?.disconnect();
});

async function freshTopic(): Promise<string> {
  const topic = uniqueName('decisions-lookup');
  await ensureTopics(config, logger, [topic]);
  return topic;
}

/** The activity as the worker builds it, on `topic`, with its own producer session per call (a new worker). */
function publishActivity(topic: string, options: { clockSkewMs?: number; timeoutMs?: number } = {}) {
  const lookup = createPublishedEventLookup(kafka, {
    clockSkewMs: options.clockSkewMs ?? 60_000,
    timeoutMs: options.timeoutMs ?? 15_000,
    groupPrefix: uniqueName('lookup-test'),
    logger,
  });
  lookups.push(lookup);
  return createEventActivities({
    decisionEvents: createDecisionEventPublisher(producer, topic, 'urn:proofpath:test', { lookup }),
  }).publishDecisionEvent;
}

const runAs = <R>(attempt: number, scheduledTimestampMs: number, work: () => Promise<R>): Promise<R> =>
  new MockActivityEnvironment({ attempt, scheduledTimestampMs }).run<[], R, () => Promise<R>>(work);

function buildEvent(decisionId: string, type: 'decision.acted' | 'decision.verified' = 'decision.acted') {
  return {
    decisionId,
    kind: 'procurement' as const,
    type,
    attempt: 1,
    status: 'ACTED',
    time: new Date().toISOString(),
  };
}

async function idsOn(topic: string): Promise<string[]> {
  return (await readWholeTopic(kafka, topic, 30_000)).map((e) => String(e.id));
}

const count = (ids: string[], id: string) => ids.filter((i) => i === id).length;

it('does not send again on a retry when the first attempt already put the event on the topic', async () => {
  const topic = await freshTopic();
  const publish = publishActivity(topic);
  const decisionId = uniqueName('procurement-REQ');
  const scheduledAt = Date.now();
  // Other decisions' events around it, some on the same partition: the retry must pick out its own id.
  for (let i = 0; i < 12; i += 1) await runAs(1, Date.now(), () => publish(buildEvent(`${decisionId}-other-${i}`)));
  const first = await runAs(1, scheduledAt, () => publish(buildEvent(decisionId)));
  for (let i = 12; i < 20; i += 1) await runAs(1, Date.now(), () => publish(buildEvent(`${decisionId}-other-${i}`)));

  const retry = await runAs(2, scheduledAt, () => publish(buildEvent(decisionId)));
  const third = await runAs(3, scheduledAt, () => publish(buildEvent(decisionId)));

  expect(retry.eventId).toBe(first.eventId);
  expect(third.eventId).toBe(first.eventId);
  const ids = await idsOn(topic);
  expect(count(ids, first.eventId)).toBe(1);
  expect(ids).toHaveLength(21);
});

it('sends on a retry whose first attempt never sent, and only once over further retries', async () => {
  const topic = await freshTopic();
  const publish = publishActivity(topic);
  const decisionId = uniqueName('procurement-REQ');
  await runAs(1, Date.now(), () => publish(buildEvent(`${decisionId}-other`)));
  const scheduledAt = Date.now() - 5_000;

  const { eventId } = await runAs(2, scheduledAt, () => publish(buildEvent(decisionId, 'decision.verified')));
  await runAs(3, scheduledAt, () => publish(buildEvent(decisionId, 'decision.verified')));

  expect(count(await idsOn(topic), eventId)).toBe(1);
});

it('looks back from the first scheduling by the clock skew margin, and no further', async () => {
  const topic = await freshTopic();
  const decisionId = uniqueName('procurement-REQ');
  const eventId = `${decisionId}/decision.acted/1`;
  // As a worker whose clock is 10 minutes behind Temporal's would have stamped it.
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: decisionId,
        value: JSON.stringify({ id: eventId }),
        timestamp: String(Date.now() - 10 * 60_000),
        headers: { ce_id: eventId },
      },
    ],
  });
  const scheduledAt = Date.now();

  await runAs(2, scheduledAt, () => publishActivity(topic, { clockSkewMs: 15 * 60_000 })(buildEvent(decisionId)));
  expect(count(await idsOn(topic), eventId)).toBe(1);

  // A margin smaller than the skew misses it: the documented price of a margin set too small.
  await runAs(2, scheduledAt, () => publishActivity(topic, { clockSkewMs: 60_000 })(buildEvent(decisionId)));
  expect(count(await idsOn(topic), eventId)).toBe(2);
});

it('fails the retry, sending nothing, when the topic cannot be read within the bound', async () => {
  const topic = await freshTopic();
  const decisionId = uniqueName('procurement-REQ');
  await runAs(1, Date.now(), () => publishActivity(topic)(buildEvent(`${decisionId}-other`)));

  const retry = runAs(2, Date.now() - 1_000, () => publishActivity(topic, { timeoutMs: 1 })(buildEvent(decisionId)));

  await expect(retry).rejects.toMatchObject({
    name: 'PublishedEventLookupError',
    code: 'published_event_lookup_failed',
  });
  expect(count(await idsOn(topic), `${decisionId}/decision.acted/1`)).toBe(0);
  // The lookup it gave up on was still connecting: it ends (its connections closed) after the failure, not never.
  await expect(lookups[lookups.length - 1]?.settled()).resolves.toBeUndefined();
});
