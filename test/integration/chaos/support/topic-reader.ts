// Reads a topic back from offset 0 with a fresh consumer group, up to the high-water marks it had when the read
// began: what the topic holds, independent of any consumer that was live (and maybe restarting) during the run.
import type { Kafka } from 'kafkajs';
import { uniqueName } from '../../../support/unique';

export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 60_000,
): Promise<Array<Record<string, unknown>>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as const));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([partition]) => partition));
  const messages: Array<Record<string, unknown>> = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: uniqueName('chaos-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chaos: reading ${topic} back did not reach its end within ${timeoutMs} ms`)),
      timeoutMs,
    );
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) < (ends.get(partition) ?? 0))
          messages.push(JSON.parse(String(message.value)) as Record<string, unknown>);
        if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
