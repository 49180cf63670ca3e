// `decide --file`: what a person may hand in, either a whole CloudEvents logistics event (like examples/*.json) or
// just the requisition or shipment, validated with the contracts' schemas and turned into the event to publish. Pure.
import type { z } from 'zod';
import type { DecisionKind } from '../contracts/decision';
import { decisionWorkflowId } from '../contracts/decision';
import { LogisticsEventSchema, type LogisticsEvent } from '../contracts/events';
import { RequisitionSchema, ShipmentSchema } from '../contracts/logistics';
import { InvalidInputError } from './errors';

export type DecideInput = {
  kind: DecisionKind;
  key: string;
  decisionId: string;
  event: LogisticsEvent;
  /** What to publish: the file as written when it was an event (extensions kept), else the event built around it. */
  value: string;
  wrapped: boolean;
};

const EVENT_TYPE: Record<DecisionKind, 'requisition.created' | 'shipment.ready'> = {
  procurement: 'requisition.created',
  routing: 'shipment.ready',
};
export const DECIDE_EVENT_SOURCE = 'urn:proofpath:cli';

/**
 * Reads the file's JSON as an event when it has a CloudEvents `specversion` or `type`, otherwise as the bare data of
 * `kind`. `newEventId` and `now` give a wrapped event its id and time.
 */
export function parseDecideInput(
  kind: DecisionKind,
  text: string,
  source: { file: string; newEventId: () => string; now: () => Date },
): DecideInput {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${source.file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InvalidInputError(`${source.file} must hold a JSON object`);
  const expectedType = EVENT_TYPE[kind];

  if ('specversion' in json || 'type' in json) {
    const event = valid(LogisticsEventSchema, json, `${source.file} (as a logistics event)`);
    if (event.type !== expectedType)
      throw new InvalidInputError(`${source.file} is a ${event.type} event; \`decide ${kind}\` needs ${expectedType}`);
    const key = businessKey(event);
    return { kind, key, decisionId: decisionWorkflowId(kind, key), event, value: JSON.stringify(json), wrapped: false };
  }

  const data =
    kind === 'procurement'
      ? valid(RequisitionSchema, json, `${source.file} (as a requisition)`)
      : valid(ShipmentSchema, json, `${source.file} (as a shipment)`);
  const key = 'requisitionId' in data ? data.requisitionId : data.shipmentId;
  const event = valid(
    LogisticsEventSchema,
    {
      specversion: '1.0',
      id: source.newEventId(),
      source: DECIDE_EVENT_SOURCE,
      type: expectedType,
      time: source.now().toISOString(),
      subject: key,
      datacontenttype: 'application/json',
      data,
    },
    'the wrapped event',
  );
  return { kind, key, decisionId: decisionWorkflowId(kind, key), event, value: JSON.stringify(event), wrapped: true };
}

function businessKey(event: LogisticsEvent): string {
  switch (event.type) {
    case 'requisition.created':
    case 'requisition.cancelled':
      return event.data.requisitionId;
    case 'shipment.ready':
    case 'shipment.cancelled':
      return event.data.shipmentId;
  }
}

function valid<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new InvalidInputError(`${what} is invalid:\n${issues.join('\n')}`);
}
