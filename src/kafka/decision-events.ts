// Publishes decision lifecycle events to the decisions topic: CloudEvents JSON, keyed by decision id, with a stable
// event id per (decision, type, attempt[, round]) so a retried activity's duplicate is recognisable by every consumer.
import type { Producer } from 'kafkajs';
import { DecisionEventSchema, decisionEventId, type DecisionEvent, type DecisionEventType } from '../contracts/events';
import { sendTraced } from '../observability';

export type DecisionEventInput = Omit<DecisionEvent['data'], 'attempt'> & {
  type: DecisionEventType;
  attempt: number;
  time: string;
};

export type DecisionEventPublisher = { publish(input: DecisionEventInput): Promise<DecisionEvent> };

export function buildDecisionEvent(input: DecisionEventInput, source: string): DecisionEvent {
  const { type, time, ...data } = input;
  return DecisionEventSchema.parse({
    specversion: '1.0',
    id: decisionEventId(input.decisionId, type, input.attempt, input.round),
    source,
    type,
    time,
    subject: input.decisionId,
    datacontenttype: 'application/json',
    data,
  });
}

export function createDecisionEventPublisher(
  producer: Producer,
  topic: string,
  source: string,
): DecisionEventPublisher {
  return {
    async publish(input) {
      const event = buildDecisionEvent(input, source);
      // The trace context rides in the headers: a consumer of decision events continues the decision's trace.
      await sendTraced(producer, {
        topic,
        acks: -1,
        messages: [
          {
            key: event.subject,
            value: JSON.stringify(event),
            headers: { ce_id: event.id, ce_type: event.type, 'content-type': 'application/cloudevents+json' },
          },
        ],
      });
      return event;
    },
  };
}
