// Publishing one message from the CLI (emit, decide): idempotent producer, acks from all in-sync replicas. A missing
// topic is reported at once (the brokers do not create topics on first use, and kafkajs would retry for seconds).
import type { Kafka } from 'kafkajs';
import { createIdempotentProducer } from '../kafka/producer';
import { NotFoundError } from './errors';

export async function requireTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic))
      throw new NotFoundError(
        'topic_not_found',
        `topic ${topic} does not exist (npm run stack -- up creates the engine's topics)`,
      );
  } finally {
    await admin.disconnect();
  }
}

export async function publishEvent(
  kafka: Kafka,
  message: { topic: string; key: string | null; value: string },
): Promise<{ partition?: number; offset?: string }> {
  await requireTopic(kafka, message.topic);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    const [record] = await producer.send({
      topic: message.topic,
      acks: -1,
      messages: [{ key: message.key, value: message.value }],
    });
    return { partition: record?.partition, offset: record?.baseOffset };
  } finally {
    await producer.disconnect();
  }
}
