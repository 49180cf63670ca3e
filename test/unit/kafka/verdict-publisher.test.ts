// The verifier's verdicts survive a broker that is away for a while: retried with backoff, given up only at the bound.
import type { Producer } from 'kafkajs';
import { createKafkaVerdictPublisher } from '../../../src/kafka/verdict-publisher';
import type { Verdict } from '../../../src/contracts/verdict';

const verdict = { receiptId: 'rcpt-1', decisionId: 'procurement-REQ-1' } as unknown as Verdict;

function flakyProducer(failures: number) {
  let calls = 0;
  const producer = {
    send: jest.fn(async () => {
      calls += 1;
      if (calls <= failures) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      return [];
    }),
    connect: jest.fn(async () => undefined),
  };
  return producer;
}

it('publishes a verdict once the broker is back, reconnecting between tries', async () => {
  const producer = flakyProducer(2);
  await createKafkaVerdictPublisher(producer as unknown as Producer, 'verdicts').publish(verdict);
  expect(producer.send).toHaveBeenCalledTimes(3);
  expect(producer.connect).toHaveBeenCalledTimes(2);
  const sent = producer.send.mock.calls[2] as unknown as [{ messages: Array<{ key: string; value: string }> }];
  expect(sent[0].messages[0]).toMatchObject({ key: 'procurement-REQ-1', value: JSON.stringify(verdict) });
});

it('gives up with the broker error once the retry bound has passed', async () => {
  const producer = flakyProducer(Number.POSITIVE_INFINITY);
  const publisher = createKafkaVerdictPublisher(producer as unknown as Producer, 'verdicts', { retryForMs: 600 });
  await expect(publisher.publish(verdict)).rejects.toThrow('ECONNREFUSED');
  expect(producer.send.mock.calls.length).toBeGreaterThan(1);
});

it('stops retrying at once when the verifier shuts down', async () => {
  const producer = flakyProducer(Number.POSITIVE_INFINITY);
  const shutdown = new AbortController();
  const publishing = createKafkaVerdictPublisher(producer as unknown as Producer, 'verdicts', {
    signal: shutdown.signal,
  }).publish(verdict);
  shutdown.abort();
  await expect(publishing).rejects.toThrow('ECONNREFUSED');
  expect(producer.send.mock.calls.length).toBeLessThanOrEqual(2);
});
