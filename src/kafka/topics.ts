// Creates the engine's topics with explicit partitions and replication (the dev broker does not auto-create topics).
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { createKafka } from './client';

export function engineTopics(config: EngineConfig): string[] {
  const { inputTopic, decisionsTopic, deadLetterTopic, verdictsTopic } = config.kafka;
  return [inputTopic, decisionsTopic, deadLetterTopic, verdictsTopic];
}

export async function ensureTopics(
  config: EngineConfig,
  logger: Logger,
  topics: string[] = engineTopics(config),
): Promise<void> {
  const admin = createKafka(config, logger, 'admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: config.kafka.partitions,
        replicationFactor: config.kafka.replicationFactor,
        // A dead letter carries the original bytes base64-encoded plus the reason: room for an input at the 1 MiB default.
        ...(topic === config.kafka.deadLetterTopic
          ? { configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }] }
          : {}),
      })),
    });
    logger.info({ topics: missing }, 'created topics');
  } finally {
    await admin.disconnect();
  }
}
