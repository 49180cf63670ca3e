// The activity that publishes decision lifecycle events to Kafka (stable event ids; a retry sends its event only when
// no earlier attempt of it is found on the topic).
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { DecisionKindSchema } from '../src/contracts/decision';
import { DecisionOutcomeCodeSchema, FailedCheckSchema } from '../src/contracts/decision-outcome';
import { DecisionEventTypeSchema } from '../src/contracts/events';
import type { DecisionEventPublisher } from '../src/kafka/decision-events';
import { parseActivityInput } from './input';

const PublishInput = z.object({
  decisionId: z.string().min(1),
  kind: DecisionKindSchema,
  type: DecisionEventTypeSchema,
  attempt: z.number().int().min(1),
  round: z.number().int().min(0).optional(),
  status: z.string(),
  time: z.iso.datetime(),
  code: DecisionOutcomeCodeSchema.optional(),
  reason: z.string().optional(),
  failedCheck: FailedCheckSchema.optional(),
  action: z.record(z.string(), z.unknown()).optional(),
  receipts: z
    .array(z.object({ receiptId: z.string(), modelId: z.string(), nodeId: z.string(), paymentRef: z.string() }))
    .optional(),
  compensations: z
    .array(
      z.object({
        action: z.string(),
        reference: z.string(),
        outcome: z.string(),
        transaction: z.string().optional(),
        note: z.string().optional(),
      }),
    )
    .optional(),
});

export function createEventActivities(deps: { decisionEvents: DecisionEventPublisher }) {
  return {
    async publishDecisionEvent(input: z.input<typeof PublishInput>): Promise<{ eventId: string }> {
      const { attempt, scheduledTimestampMs } = Context.current().info;
      const event = await deps.decisionEvents.publish(parseActivityInput(PublishInput, input), {
        activityAttempt: attempt,
        // The first attempt's scheduling time (Temporal keeps it across retries): no attempt sent before it.
        firstScheduledAtMs: scheduledTimestampMs,
      });
      return { eventId: event.id };
    },
  };
}
