// `proofpath emit <file.json> [topic]`: publishes a logistics event (CloudEvents JSON) to the input topic, keyed by
// its subject, as an upstream system would. For demos, smoke checks and replaying dead letters after a fix.
import fs from 'node:fs';
import { createKafka } from '../../kafka/client';
import { createIdempotentProducer } from '../../kafka/producer';
import type { Command } from '../command';

export const emitCommand: Command = {
  name: 'emit',
  summary: 'emit <file.json|-> [topic]: publish a logistics event to the input topic (default logistics.events)',
  async run({ config, logger, args }) {
    const [file, topic = config.kafka.inputTopic] = args;
    if (!file) throw new Error('usage: proofpath emit <file.json|-> [topic]');
    const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    let key: string | null = null;
    try {
      const parsed = JSON.parse(text) as { subject?: unknown };
      key = typeof parsed.subject === 'string' ? parsed.subject : null;
    } catch {
      // Sent as is: the bridge is the one that judges input, and will dead-letter it with the reason.
    }
    const producer = createIdempotentProducer(createKafka(config, logger, 'emit'));
    await producer.connect();
    try {
      const [record] = await producer.send({ topic, acks: -1, messages: [{ key, value: text }] });
      process.stdout.write(`${JSON.stringify({ topic, key, partition: record?.partition, offset: record?.baseOffset })}\n`);
    } finally {
      await producer.disconnect();
    }
  },
};
