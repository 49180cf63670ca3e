// `proofpath events tail [--topic in|decisions|dlq|verdicts|<name>] [--from-beginning] [--json]`: follows one topic
// and prints a readable line per message until Ctrl-C. A throw-away consumer group per run, deleted on the way out.
import { randomUUID } from 'node:crypto';
import type { EngineConfig } from '../../config';
import { parseChoice, parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';
import { reachableKafka } from '../connect';
import { requireTopic } from '../publish';
import { formatMessageLine, rawMessageLine } from '../render/event-line';

export function topicFor(config: EngineConfig, name: string): string {
  const { inputTopic, decisionsTopic, deadLetterTopic, verdictsTopic } = config.kafka;
  const aliases: Record<string, string> = {
    in: inputTopic,
    decisions: decisionsTopic,
    dlq: deadLetterTopic,
    verdicts: verdictsTopic,
  };
  return Object.hasOwn(aliases, name) ? (aliases[name] as string) : name;
}

export const eventsCommand: ToolCommand = {
  name: 'events',
  summary:
    'tail [--topic in|decisions|dlq|verdicts|<name>] [--from-beginning] [--json]: follow a topic, one line per message',
  usage: [
    'events tail [--topic in|decisions|dlq|verdicts|<name>] [--from-beginning] [--json]',
    '',
    '  --topic           in, decisions (default), dlq, verdicts (the configured topics) or any topic name',
    '  --from-beginning  start at the oldest message kept instead of new messages only',
    '  --json            print each message value as one raw JSON line instead of a readable line',
    '',
    'Ctrl-C stops. Exit 3 when Kafka is unreachable, 4 when the topic does not exist.',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, logger, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        topic: { type: 'string', short: 't' },
        'from-beginning': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'action (tail)' },
    );
    parseChoice(positionals[0], ['tail'] as const, 'events action');
    const topic = topicFor(config, values.topic ?? 'decisions');
    const fromBeginning = values['from-beginning'] === true;
    const kafka = await reachableKafka(config, logger, 'events-tail');
    await requireTopic(kafka, topic);

    const admin = kafka.admin();
    await admin.connect();
    const groupId = `${config.kafka.clientId}-tail-${randomUUID().slice(0, 8)}`;
    const consumer = kafka.consumer({ groupId });
    try {
      if (!fromBeginning) {
        // Pin the start to the end of each partition now, so every message produced after this point is shown (a new
        // group's "latest" would be resolved later, at its first fetch, and could skip messages sent meanwhile).
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
        });
      }
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning });
      const color = process.stdout.isTTY === true;
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: from, partition, message }) => {
          const tailed = {
            topic: from,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            timestamp: message.timestamp,
          };
          process.stdout.write(`${values.json ? rawMessageLine(tailed) : formatMessageLine(tailed, { color })}\n`);
        },
      });
      await joined;
      process.stderr.write(
        `following ${topic} ${fromBeginning ? 'from the beginning' : 'from now on'}; Ctrl-C stops\n`,
      );
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      await admin.disconnect();
      throw error;
    }
    // A reader that went away (`| head`) ends the tail like Ctrl-C does.
    process.stdout.once('error', () => process.kill(process.pid, 'SIGTERM'));
    return async () => {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined); // throw-away group: leave nothing behind on the broker
      await admin.disconnect();
    };
  },
};
