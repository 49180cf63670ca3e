// Reads the decision lifecycle events the worker publishes, in a consumer group of its own, and records the decision
// metrics from them (decisions by kind and status, fast path, time to verdict). Events are keyed by decision id, so
// one consumer sees a decision's acted and verdict events in order. Metrics only: a bad message is skipped, not
// dead-lettered (the topic is ours, and the bridge's dead-letter topic is for logistics input).
import type { Consumer, Kafka } from 'kafkajs';
import { DecisionEventSchema } from '../contracts/events';
import type { Logger } from '../log';
import type { DecisionMetricsRecorder } from '../observability';

export async function startDecisionMetricsConsumer(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  recorder: DecisionMetricsRecorder;
  logger: Logger;
}): Promise<Consumer> {
  const consumer = options.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  // From the beginning for a new group: the recorder ignores what happened before this process started.
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const parsed = DecisionEventSchema.safeParse(jsonOf(message.value));
      if (!parsed.success)
        return options.logger.debug(
          { offset: message.offset },
          'malformed decision event skipped by the metrics consumer',
        );
      await options.recorder.record(parsed.data);
    },
  });
  return consumer;
}

function jsonOf(bytes: Buffer | null): unknown {
  try {
    return JSON.parse((bytes ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return undefined;
  }
}
