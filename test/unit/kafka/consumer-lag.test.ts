// Consumer lag per partition from the broker's offsets: high watermark minus the group's committed offset.
import { readConsumerLag, collectConsumerLag } from '../../../src/kafka/consumer-lag';
import { createMetrics } from '../../../src/observability';

/** An admin double answering the two offset requests the lag needs, from fixed offsets. */
function adminWith(
  ends: Record<string, Array<{ partition: number; low: string; high: string }>>,
  committed: Record<string, Record<string, Array<{ partition: number; offset: string }>>>,
) {
  return {
    fetchTopicOffsets: async (topic: string) => (ends[topic] ?? []).map((e) => ({ ...e, offset: e.high })),
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics?: string[] }) =>
      (topics ?? []).map((topic) => ({
        topic,
        partitions: (committed[groupId]?.[topic] ?? []).map((p) => ({ ...p, metadata: null })),
      })),
  };
}

describe('consumer lag', () => {
  const admin = adminWith(
    {
      in: [
        { partition: 0, low: '0', high: '10' },
        { partition: 1, low: '4', high: '9' },
        { partition: 2, low: '0', high: '0' },
      ],
    },
    {
      bridge: {
        in: [
          { partition: 0, offset: '7' },
          { partition: 1, offset: '-1' },
          { partition: 2, offset: '-1' },
        ],
      },
    },
  );

  it('is the high watermark minus the committed offset, or the retained log when nothing was committed', async () => {
    expect(await readConsumerLag(admin, [{ groupId: 'bridge', topic: 'in' }])).toEqual([
      { groupId: 'bridge', topic: 'in', partition: 0, lag: 3 },
      { groupId: 'bridge', topic: 'in', partition: 1, lag: 5 },
      { groupId: 'bridge', topic: 'in', partition: 2, lag: 0 },
    ]);
  });

  it('is exported as kafka_consumer_lag at each scrape', async () => {
    const metrics = createMetrics();
    collectConsumerLag(metrics, admin, [{ groupId: 'bridge', topic: 'in' }]);
    const { text } = await metrics.render();
    expect(text).toMatch(/^kafka_consumer_lag\{group="bridge",topic="in",partition="0"\} 3$/m);
    expect(text).toMatch(/^kafka_consumer_lag\{group="bridge",topic="in",partition="1"\} 5$/m);
  });

  it('gives up on a broker that does not answer, without failing the scrape', async () => {
    const metrics = createMetrics();
    metrics.count('up_total');
    collectConsumerLag(
      metrics,
      { fetchTopicOffsets: () => new Promise(() => {}), fetchOffsets: () => new Promise(() => {}) },
      [{ groupId: 'bridge', topic: 'in' }],
      50,
    );
    const { text } = await metrics.render();
    expect(text).toContain('up_total 1');
    expect(text).not.toContain('kafka_consumer_lag');
  });
});
