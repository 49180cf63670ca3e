// Publishing a decision event: the first attempt sends at once; a retry sends only when its event is not on the topic
// already, and fails (without sending) when it cannot find out.
import type { Producer } from 'kafkajs';
import { createDecisionEventPublisher, type DecisionEventInput } from '../../../src/kafka/decision-events';
import {
  PublishedEventLookupError,
  type PublishedEventLookup,
  type PublishedEventQuery,
} from '../../../src/kafka/published-event-lookup';

function buildInput(overrides: Partial<DecisionEventInput> = {}): DecisionEventInput {
  return {
    decisionId: 'procurement-REQ-7',
    kind: 'procurement',
    type: 'decision.acted',
    attempt: 1,
    status: 'ACTED',
    time: '2026-12-03T10:00:00.000Z',
    ...overrides,
  };
}

function fakeProducer() {
  return { send: jest.fn(async () => []), connect: jest.fn(async () => undefined) };
}

function fakeLookup(answer: () => Promise<Awaited<ReturnType<PublishedEventLookup['find']>>>) {
  const queries: PublishedEventQuery[] = [];
  const lookup: PublishedEventLookup = {
    find: async (query) => {
      queries.push(query);
      return answer();
    },
    settled: async () => undefined,
  };
  return { lookup, queries };
}

const publisherWith = (producer: ReturnType<typeof fakeProducer>, lookup: PublishedEventLookup) =>
  createDecisionEventPublisher(producer as unknown as Producer, 'decisions', 'urn:test', { lookup });

it('sends on the first attempt without looking at the topic', async () => {
  const producer = fakeProducer();
  const { lookup, queries } = fakeLookup(async () => ({ partition: 0, offset: '3', timestampMs: 1 }));
  const event = await publisherWith(producer, lookup).publish(buildInput(), {
    activityAttempt: 1,
    firstScheduledAtMs: 1_000,
  });
  expect(queries).toEqual([]);
  expect(producer.send).toHaveBeenCalledTimes(1);
  expect(event.id).toBe('procurement-REQ-7/decision.acted/1');
});

it('does not send again on a retry when an earlier attempt put the event on the topic', async () => {
  const producer = fakeProducer();
  const { lookup, queries } = fakeLookup(async () => ({ partition: 2, offset: '41', timestampMs: 1_500 }));
  const event = await publisherWith(producer, lookup).publish(buildInput(), {
    activityAttempt: 3,
    firstScheduledAtMs: 1_000,
  });
  expect(producer.send).not.toHaveBeenCalled();
  expect(queries).toEqual([
    { topic: 'decisions', key: 'procurement-REQ-7', eventId: event.id, sentNotBeforeMs: 1_000 },
  ]);
});

it('sends on a retry whose earlier attempts never did, connecting the producer again first', async () => {
  const producer = fakeProducer();
  const { lookup, queries } = fakeLookup(async () => undefined);
  await publisherWith(producer, lookup).publish(buildInput(), { activityAttempt: 2, firstScheduledAtMs: 1_000 });
  expect(queries).toHaveLength(1);
  expect(producer.connect).toHaveBeenCalledTimes(1);
  expect(producer.send).toHaveBeenCalledTimes(1);
});

it('fails the retry without sending when the topic cannot be read', async () => {
  const producer = fakeProducer();
  const { lookup } = fakeLookup(async () => {
    throw new PublishedEventLookupError('could not read decisions within 10 ms');
  });
  const publishing = publisherWith(producer, lookup).publish(buildInput(), {
    activityAttempt: 2,
    firstScheduledAtMs: 1_000,
  });
  await expect(publishing).rejects.toMatchObject({ name: 'PublishedEventLookupError', retryable: true });
  expect(producer.send).not.toHaveBeenCalled();
});
