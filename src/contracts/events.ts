// Kafka messages in and out, in the CloudEvents 1.0 JSON envelope (id, source, type, time, subject, data).
// The decision id is the Kafka key of every outgoing event; event ids are stable so consumers can deduplicate.
import { z } from 'zod';
import { DecisionKindSchema } from './decision';
import { DecisionOutcomeCodeSchema, FailedCheckSchema } from './decision-outcome';
import { RequisitionSchema, ShipmentSchema } from './logistics';

const envelope = {
  specversion: z.literal('1.0'),
  id: z.string().min(1, 'must not be empty'),
  source: z.string().min(1, 'must not be empty'),
  time: z.iso.datetime({ offset: true }).optional(),
  subject: z.string().optional(),
  datacontenttype: z.literal('application/json').optional(),
};

export const RequisitionCreatedEventSchema = z.object({
  ...envelope,
  type: z.literal('requisition.created'),
  data: RequisitionSchema,
});
export const RequisitionCancelledEventSchema = z.object({
  ...envelope,
  type: z.literal('requisition.cancelled'),
  data: z.object({
    requisitionId: z.string().min(1),
    reason: z.string().min(1),
    requestedBy: z.string().min(1).default('logistics'),
  }),
});
export const ShipmentReadyEventSchema = z.object({
  ...envelope,
  type: z.literal('shipment.ready'),
  data: ShipmentSchema,
});
export const ShipmentCancelledEventSchema = z.object({
  ...envelope,
  type: z.literal('shipment.cancelled'),
  data: z.object({
    shipmentId: z.string().min(1),
    reason: z.string().min(1),
    requestedBy: z.string().min(1).default('logistics'),
  }),
});

export const LogisticsEventSchema = z.discriminatedUnion('type', [
  RequisitionCreatedEventSchema,
  RequisitionCancelledEventSchema,
  ShipmentReadyEventSchema,
  ShipmentCancelledEventSchema,
]);
export type LogisticsEvent = z.infer<typeof LogisticsEventSchema>;
export const LOGISTICS_EVENT_TYPES = LogisticsEventSchema.options.map((o) => o.shape.type.value);

export const DECISION_EVENT_TYPES = [
  'decision.acted',
  'decision.awaiting_approval',
  'decision.escalated',
  'decision.verified',
  'decision.rolled_back',
  'decision.failed',
] as const;
export const DecisionEventTypeSchema = z.enum(DECISION_EVENT_TYPES);
export type DecisionEventType = z.infer<typeof DecisionEventTypeSchema>;

export const DecisionEventSchema = z.object({
  specversion: z.literal('1.0'),
  /** `<decisionId>/<type>/<attempt>`: the same lifecycle step always carries the same id. */
  id: z.string(),
  source: z.string(),
  type: DecisionEventTypeSchema,
  time: z.string(),
  subject: z.string().describe('the decision id (also the Kafka key)'),
  datacontenttype: z.literal('application/json'),
  data: z.object({
    decisionId: z.string(),
    kind: DecisionKindSchema,
    attempt: z.number().int().nonnegative(),
    round: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('decide/approve round: 0, or the number of amendments that led here'),
    status: z.string(),
    code: DecisionOutcomeCodeSchema.optional().describe(
      'on the final events: why the decision ended (README: decision outcomes)',
    ),
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
  }),
});
export type DecisionEvent = z.infer<typeof DecisionEventSchema>;

/** Event types that can happen once per decide/approve round (an amendment starts a new round). */
const ROUND_SCOPED: ReadonlySet<DecisionEventType> = new Set(['decision.awaiting_approval', 'decision.escalated']);

/**
 * Stable event id: `<decisionId>/<type>/<attempt>`, plus `/r<round>` for events that repeat after an amendment
 * (round ≥ 1), so consumers that dedupe by id keep the second approval request.
 */
export function decisionEventId(decisionId: string, type: DecisionEventType, attempt: number, round = 0): string {
  const base = `${decisionId}/${type}/${attempt}`;
  return ROUND_SCOPED.has(type) && round > 0 ? `${base}/r${round}` : base;
}

/** What the bridge writes to the dead-letter topic for an event it could not accept. */
export const DeadLetterSchema = z.object({
  reason: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  originalTopic: z.string(),
  originalPartition: z.number().int(),
  originalOffset: z.string(),
  originalKey: z.string().nullable(),
  originalValueBase64: z.string(),
  originalHeaders: z.record(z.string(), z.string()),
  receivedAt: z.string(),
  /** The decision the input maps to; for `business_key_conflict`, the existing decision the other content started. */
  decisionId: z.string().optional(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
