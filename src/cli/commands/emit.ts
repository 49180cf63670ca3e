// `proofpath emit <file.json> [topic]`: publishes a logistics event (CloudEvents JSON) to the input topic, keyed by
// its subject, as an upstream system would. For demos, smoke checks and replaying dead letters after a fix.
import fs from 'node:fs';
import { parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';
import { reachableKafka } from '../connect';
import { InvalidInputError } from '../errors';
import { publishEvent } from '../publish';

export const emitCommand: ToolCommand = {
  name: 'emit',
  summary: '<file.json|-> [topic]: publish a logistics event as is to the input topic (default logistics.events)',
  usage:
    'emit <file.json|-> [topic]\n\nPublishes the file (or stdin for -) as is, keyed by its CloudEvents subject; the bridge judges it.',
  logsToStderr: true,
  async run({ config, logger, args }) {
    const { positionals } = parseCommandArgs(args, {}, { min: 1, max: 2, names: '<file.json|->' });
    const [file = '-', topic = config.kafka.inputTopic] = positionals;
    let text: string;
    try {
      text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new InvalidInputError(`cannot read ${file}: ${(error as Error).message}`);
    }
    let key: string | null = null;
    try {
      const parsed = JSON.parse(text) as { subject?: unknown };
      key = typeof parsed.subject === 'string' ? parsed.subject : null;
    } catch {
      // Sent as is: the bridge is the one that judges input, and will dead-letter it with the reason.
    }
    const kafka = await reachableKafka(config, logger, 'emit');
    const record = await publishEvent(kafka, { topic, key, value: text });
    process.stdout.write(`${JSON.stringify({ topic, key, partition: record.partition, offset: record.offset })}\n`);
  },
};
