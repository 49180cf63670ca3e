// `events tail`: one readable line per Kafka message (time, type, subject, the facts that matter for that type), or
// the raw value on one line for `--json`. Recognises messages by their schema, not by the topic, so a renamed or
// test topic reads the same. Pure.
import {
  DeadLetterSchema,
  DecisionEventSchema,
  LogisticsEventSchema,
  type DecisionEvent,
  type LogisticsEvent,
} from '../../contracts/events';
import { VerdictSchema, type Verdict } from '../../contracts/verdict';
import { clip, createStyle, short, toneOf, type Style } from './style';

export type TailedMessage = {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  timestamp: string;
};

const TYPE_WIDTH = 26;

export function formatMessageLine(message: TailedMessage, options: { color?: boolean } = {}): string {
  const style = createStyle(options.color ?? false);
  const time = style.paint(kafkaTime(message.timestamp), 'dim');
  const line = (type: string, subject: string, facts: string, tone = toneOf(undefined)) =>
    `${time}  ${style.paint(type.padEnd(TYPE_WIDTH), tone)}  ${subject}${facts ? `  ${facts}` : ''}`;
  const parsed = parseJson(message.value);
  if (parsed === undefined) return line('(not JSON)', message.key ?? '-', clip(message.value ?? '(empty)', 200), 'red');

  const decision = DecisionEventSchema.safeParse(parsed);
  if (decision.success)
    return line(
      decision.data.type,
      decision.data.subject,
      decisionFacts(decision.data, style),
      statusTone(decision.data),
    );
  const logistics = LogisticsEventSchema.safeParse(parsed);
  if (logistics.success)
    return line(
      logistics.data.type,
      logistics.data.subject ?? message.key ?? '-',
      logisticsFacts(logistics.data),
      'cyan',
    );
  const verdict = VerdictSchema.safeParse(parsed);
  if (verdict.success)
    return line(
      'verdict',
      verdict.data.decisionId ?? '-',
      verdictFacts(verdict.data, style),
      verdict.data.verified ? 'green' : 'red',
    );
  const letter = DeadLetterSchema.safeParse(parsed);
  if (letter.success) {
    const { reason, issues, originalTopic, originalPartition, originalOffset, originalKey } = letter.data;
    const where = `from ${originalTopic}[${originalPartition}]@${originalOffset}`;
    const why = issues.length ? issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ') : '';
    return line(
      `dead letter: ${reason}`,
      originalKey ?? '-',
      [where, clip(why, 200)].filter(Boolean).join('  '),
      'red',
    );
  }
  // Anything else: a CloudEvent of a type we do not know, or any JSON.
  const envelope = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    type?: unknown;
    subject?: unknown;
  };
  const type = typeof envelope.type === 'string' ? envelope.type : '(unrecognised)';
  const subject = typeof envelope.subject === 'string' ? envelope.subject : (message.key ?? '-');
  return line(type, subject, clip(JSON.stringify(parsed), 200));
}

/** `--json`: the message value, compacted to one line when it is JSON, as a JSON string when it is not. */
export function rawMessageLine(message: TailedMessage): string {
  const parsed = parseJson(message.value);
  return parsed === undefined ? JSON.stringify(message.value) : JSON.stringify(parsed);
}

function decisionFacts(event: DecisionEvent, style: Style): string {
  const d = event.data;
  const action = d.action as { reference?: unknown; type?: unknown } | undefined;
  const nodes = [...new Set((d.receipts ?? []).map((r) => short(r.nodeId)))];
  return [
    style.paint(d.status, toneOf(d.status)),
    `attempt ${d.attempt}`,
    action?.reference !== undefined && `${String(action.type ?? 'action')} ${String(action.reference)}`,
    d.failedCheck && `${d.failedCheck} failed`,
    d.reason && clip(d.reason, 160),
    d.receipts?.length ? `${d.receipts.length} receipt(s) from ${nodes.join(', ')}` : undefined,
    d.compensations?.length
      ? `compensated: ${d.compensations.map((c) => `${c.action} ${c.outcome}`).join(', ')}`
      : undefined,
  ]
    .filter(Boolean)
    .join('  ');
}

function statusTone(event: DecisionEvent) {
  if (event.type === 'decision.verified') return 'green' as const;
  if (event.type === 'decision.rolled_back' || event.type === 'decision.failed') return 'red' as const;
  return 'yellow' as const;
}

function logisticsFacts(event: LogisticsEvent): string {
  switch (event.type) {
    case 'requisition.created': {
      const r = event.data;
      const quantity = r.quantity !== undefined ? `qty ${r.quantity}` : `forecast ×${r.forecastWindow}`;
      return `${r.requisitionId}  ${r.itemSku}  ${quantity}  budget ${r.budget.amount} ${r.budget.currency}  ${r.candidates.length} supplier(s)  needed by ${r.neededBy}`;
    }
    case 'shipment.ready': {
      const s = event.data;
      return `${s.shipmentId}  ${s.origin} → ${s.destination}  ${s.weightKg} kg${s.hazmat ? ' hazmat' : ''}  ${s.candidates.length} route(s)  promised by ${s.promisedBy}`;
    }
    case 'requisition.cancelled':
      return `${event.data.requisitionId}  by ${event.data.requestedBy}: ${event.data.reason}`;
    case 'shipment.cancelled':
      return `${event.data.shipmentId}  by ${event.data.requestedBy}: ${event.data.reason}`;
  }
}

function verdictFacts(verdict: Verdict, style: Style): string {
  const checks = Object.entries(verdict.checks).map(
    ([name, r]) => `${name} ${style.paint(r.status, toneOf(r.status))}${r.reason ? ` (${r.reason})` : ''}`,
  );
  return [
    `receipt ${short(verdict.receiptId)}`,
    verdict.verified ? style.paint('verified', 'green') : style.paint('not verified', 'red'),
    ...checks,
  ].join('  ');
}

function kafkaTime(timestamp: string): string {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '-'.padEnd(24);
}

function parseJson(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
