// Publishing one message from the CLI (emit, decide): idempotent producer, acks from all in-sync replicas, and a
// clear error when the topic does not exist (the brokers are not set to create topics on first use).
import type { Kafka } from 'kafkajs';
import { createIdempotentProducer } from '../kafka/producer';
import { NotFoundError } from './errors';

export async function publishEvent(kafka: Kafka, message: { topic: string; key: string | null; value: string }): Promise<{ partition?: number; offset?: string }> {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    const [record] = await producer.send({ topic: message.topic, acks: -1, messages: [{ key: message.key, value: message.value }] });
    return { partition: record?.partition, offset: record?.baseOffset };
  } catch (error) {
    if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition/.test((error as Error).message)) {
      throw new NotFoundError('topic_not_found', `topic ${message.topic} does not exist (npm run stack -- up creates the engine's topics)`);
    }
    throw error;
  } finally {
    await producer.disconnect();
  }
}
