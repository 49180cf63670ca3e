// The Kafka broker started by the stack carries a message from an idempotent producer to a consumer group.
import { testConfig, testLogger } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { createKafka } from '../../../src/kafka/client';
import { ensureTopics } from '../../../src/kafka/topics';
import { createIdempotentProducer } from '../../../src/kafka/producer';

describe('embedded Kafka', () => {
  const config = testConfig();
  const logger = testLogger('kafka-smoke', config);

  it('delivers a message from an idempotent acks=all producer to a consumer group', async () => {
    const topic = uniqueName('smoke-topic');
    await ensureTopics(config, logger, [topic]);
    const kafka = createKafka(config, logger, 'smoke');
    const producer = createIdempotentProducer(kafka);
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ key: string; value: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value) }),
        });
      });
      const [record] = await producer.send({ topic, acks: -1, messages: [{ key: 'decision-1', value: 'hello' }] });
      expect(record?.errorCode).toBe(0);
      await expect(received).resolves.toEqual({ key: 'decision-1', value: 'hello' });
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
    }
  });
});
