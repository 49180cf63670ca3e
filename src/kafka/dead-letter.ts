// Dead letters: an input event the bridge cannot accept goes to the DLQ with its original bytes, headers and the
// reason, so nothing is lost and the partition keeps flowing.
import type { KafkaMessage, Producer } from 'kafkajs';
import { DeadLetterSchema, type DeadLetter } from '../contracts/events';
import { sendTraced } from '../observability';

export type DeadLetterIssue = { path: string; message: string };

export function buildDeadLetter(
  message: KafkaMessage,
  origin: { topic: string; partition: number },
  reason: string,
  issues: DeadLetterIssue[],
  receivedAt: Date,
  decisionId?: string,
): DeadLetter {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map(String).join(',') : String(v ?? ''),
    ]),
  );
  return DeadLetterSchema.parse({
    reason,
    issues,
    originalTopic: origin.topic,
    originalPartition: origin.partition,
    originalOffset: message.offset,
    originalKey: message.key === null ? null : message.key.toString('utf8'),
    originalValueBase64: (message.value ?? Buffer.alloc(0)).toString('base64'),
    originalHeaders: headers,
    receivedAt: receivedAt.toISOString(),
    decisionId,
  });
}

export async function sendToDeadLetter(
  producer: Producer,
  topic: string,
  letter: DeadLetter,
  key: string | null,
): Promise<void> {
  // In the trace of the message's processing: a dead letter shows up under the event that caused it.
  await sendTraced(producer, {
    topic,
    acks: -1,
    messages: [
      {
        key,
        value: JSON.stringify(letter),
        headers: {
          'dlq-reason': letter.reason,
          'dlq-original-topic': letter.originalTopic,
          'dlq-original-offset': letter.originalOffset,
        },
      },
    ],
  });
}
