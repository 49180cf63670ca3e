// Publishes decision lifecycle events to the decisions topic: CloudEvents JSON, keyed by decision id, with a stable
// event id per (decision, type, attempt[, round]) so a retried activity's duplicate is recognisable by every consumer.
// A retried publish first looks for its event on the topic and does not send it again when an earlier attempt did
// (see published-event-lookup.ts); the first attempt sends at once.
import type { Producer } from 'kafkajs';
import { DecisionEventSchema, decisionEventId, type DecisionEvent, type DecisionEventType } from '../contracts/events';
import type { Logger } from '../log';
import { sendTraced } from '../observability';
import type { PublishedEventLookup } from './published-event-lookup';

export type DecisionEventInput = Omit<DecisionEvent['data'], 'attempt'> & {
  type: DecisionEventType;
  attempt: number;
  time: string;
};

/** Which try of the publishing activity this is (Temporal's activity info); absent outside an activity. */
export type PublishAttempt = {
  /** 1 for the first attempt, more for Temporal's retries. */
  activityAttempt: number;
  /** When the activity was first scheduled (ms since epoch, the Temporal server's clock): no attempt sent earlier. */
  firstScheduledAtMs: number;
};

export type DecisionEventPublisher = {
  publish(input: DecisionEventInput, attempt?: PublishAttempt): Promise<DecisionEvent>;
};

export type DecisionEventPublisherOptions = {
  /** Without it a retry sends again (the event id still lets consumers drop the duplicate). */
  lookup?: PublishedEventLookup;
  logger?: Logger;
};

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
  options: DecisionEventPublisherOptions = {},
): DecisionEventPublisher {
  return {
    async publish(input, attempt) {
      const event = buildDecisionEvent(input, source);
      const retry = attempt !== undefined && attempt.activityAttempt > 1;
      if (options.lookup && retry) {
        // A failing lookup fails this attempt (Temporal retries it): sending without knowing could duplicate.
        const found = await options.lookup.find({
          topic,
          key: event.subject,
          eventId: event.id,
          sentNotBeforeMs: attempt.firstScheduledAtMs,
        });
        if (found) {
          options.logger?.info(
            { decisionId: event.subject, eventId: event.id, activityAttempt: attempt.activityAttempt, ...found },
            'decision event already published by an earlier attempt, not sent again',
          );
          return event;
        }
        options.logger?.info(
          { decisionId: event.subject, eventId: event.id, activityAttempt: attempt.activityAttempt },
          'decision event not on the topic yet, sending it on this retry',
        );
      }
      // kafkajs may leave a producer disconnected after the broker went away; connecting again is a no-op if not.
      if (retry) await producer.connect().catch(() => undefined);
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
