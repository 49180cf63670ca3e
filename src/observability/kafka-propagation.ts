// Trace context over Kafka: the producer writes `traceparent` (W3C Trace Context) into each message's headers inside a
// PRODUCER span; the consumer continues that trace in a CONSUMER span around its handling of the message. Names and
// attributes follow the OTel messaging conventions (`send decisions.events`, `process logistics.events`).
import { context, propagation, SpanKind, trace, type TextMapGetter } from '@opentelemetry/api';
import type { EachMessagePayload, IHeaders, Message, Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { engineTracer, markFailed } from './spans';
import { activeTracing } from './tracing';

/** kafkajs header values arrive as Buffers (or arrays of them when a header repeats). */
const kafkaHeaderGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (headers) => Object.keys(headers ?? {}),
  get(headers, key) {
    const value = headers?.[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : String(value);
  },
};

/** Sends `record` in a PRODUCER span, with the span's trace context added to every message's headers. */
export async function sendTraced(producer: Pick<Producer, 'send'>, record: ProducerRecord): Promise<RecordMetadata[]> {
  if (!activeTracing()) return producer.send(record);
  return engineTracer().startActiveSpan(
    `send ${record.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': record.topic,
        'messaging.batch.message_count': record.messages.length,
      },
    },
    async (span) => {
      try {
        const carrier: Record<string, string> = {};
        propagation.inject(context.active(), carrier);
        const messages: Message[] = record.messages.map((m) => ({ ...m, headers: { ...m.headers, ...carrier } }));
        return await producer.send({ ...record, messages });
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Runs the handling of one consumed message in a CONSUMER span continuing the producer's trace (when it sent one). */
export async function processTraced<T>(payload: EachMessagePayload, handle: () => Promise<T>): Promise<T> {
  if (!activeTracing()) return handle();
  const parent = propagation.extract(context.active(), payload.message.headers, kafkaHeaderGetter);
  const span = engineTracer().startSpan(
    `process ${payload.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': payload.topic,
        'messaging.destination.partition.id': String(payload.partition),
        'messaging.kafka.offset': Number(payload.message.offset),
        ...(payload.message.key && { 'messaging.kafka.message.key': payload.message.key.toString('utf8') }),
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), handle);
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}
