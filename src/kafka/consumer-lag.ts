// Consumer lag of the bridge's groups, read from the broker when /metrics is scraped: per partition, the high
// watermark minus the group's committed offset (the whole retained log when the group has committed nothing yet).
import type { Admin } from 'kafkajs';
import { KAFKA_METRICS, type Metrics } from '../observability';

export type ConsumedTopic = { groupId: string; topic: string };

export type PartitionLag = ConsumedTopic & { partition: number; lag: number };

export async function readConsumerLag(
  admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>,
  consumed: ConsumedTopic[],
): Promise<PartitionLag[]> {
  const lags: PartitionLag[] = [];
  for (const { groupId, topic } of consumed) {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedOf = new Map(
      (committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
    );
    for (const end of ends) {
      const high = BigInt(end.high);
      const at = committedOf.get(end.partition) ?? -1n;
      // kafkajs reports -1 for a partition the group never committed on: everything still retained is unconsumed.
      const lag = at < 0n ? high - BigInt(end.low) : high - at;
      lags.push({ groupId, topic, partition: end.partition, lag: Number(lag > 0n ? lag : 0n) });
    }
  }
  return lags;
}

/** Registers a collector that refreshes `kafka_consumer_lag` on each scrape, giving up after `timeoutMs`. */
export function collectConsumerLag(
  metrics: Metrics,
  admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>,
  consumed: ConsumedTopic[],
  timeoutMs = 2_000,
): void {
  metrics.addCollector(async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`consumer lag not read within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const lags = await Promise.race([readConsumerLag(admin, consumed), timeout]);
      metrics.resetGauge(KAFKA_METRICS.consumerLag);
      for (const { groupId, topic, partition, lag } of lags)
        metrics.set(KAFKA_METRICS.consumerLag, lag, { group: groupId, topic, partition: String(partition) });
    } finally {
      clearTimeout(timer);
    }
  });
}
