// One place that builds kafkajs clients from configuration, with kafkajs' own logs routed to pino.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(config: EngineConfig, logger: Logger, clientSuffix: string): Kafka {
  const kafkaLogger = logger.child({ lib: 'kafkajs' });
  return new Kafka({
    clientId: `${config.kafka.clientId}-${clientSuffix}`,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      kafkaLogger[LEVEL_NAMES[entry.level] ?? 'info']({ namespace: entry.namespace, ...rest }, message);
    },
  });
}
