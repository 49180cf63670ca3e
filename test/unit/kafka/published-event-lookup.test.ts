// The pure parts of finding an already-published event: the partition the producer picked, the time and offsets to
// read, and recognising the event by its `ce_id` header.
import type { PartitionMetadata } from 'kafkajs';
import {
  carriesEventId,
  earliestTimestampMs,
  offsetsToRead,
  partitionOfKey,
} from '../../../src/kafka/published-event-lookup';

const partitions = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));

describe('partitionOfKey', () => {
  const keys = Array.from({ length: 50 }, (_, i) => `procurement-REQ-${i}`);

  it('picks the same partition for a key every time, as a fresh producer would', () => {
    const first = keys.map((k) => partitionOfKey('decisions.events', k, partitions(6)));
    expect(keys.map((k) => partitionOfKey('decisions.events', k, partitions(6)))).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(first.every((p) => p >= 0 && p < 6)).toBe(true);
  });

  it('does not move a key when a partition has no leader (keys hash over all partitions)', () => {
    const all = keys.map((k) => partitionOfKey('t', k, partitions(3)));
    expect(keys.map((k) => partitionOfKey('t', k, partitions(3, [0, 2])))).toEqual(all);
  });

  it('hashes with murmur2 like the Java clients (a vector from Kafka UtilsTest)', () => {
    // Utils.murmur2("foobar".getBytes()) == -790332482; the partition is toPositive(hash) % partitions.
    expect(partitionOfKey('t', 'foobar', partitions(12))).toBe((-790_332_482 & 0x7fffffff) % 12);
  });
});

describe('earliestTimestampMs', () => {
  it('goes back from the first scheduling by the clock skew margin, never before the epoch', () => {
    expect(earliestTimestampMs(1_700_000_060_000, 60_000)).toBe(1_700_000_000_000);
    expect(earliestTimestampMs(1_700_000_060_000, 0)).toBe(1_700_000_060_000);
    expect(earliestTimestampMs(5_000, 60_000)).toBe(0);
  });
});

describe('offsetsToRead', () => {
  it('reads from the timestamp offset up to, not including, the high-water mark', () => {
    expect(offsetsToRead('17', '20')).toEqual({ from: 17n, to: 20n });
  });

  it('reads nothing when no message is at or after the timestamp (the offset is the high-water mark)', () => {
    expect(offsetsToRead('20', '20')).toBeUndefined();
    expect(offsetsToRead('0', '0')).toBeUndefined();
    expect(offsetsToRead('-1', '20')).toBeUndefined();
  });
});

describe('carriesEventId', () => {
  const id = 'procurement-REQ-1/decision.acted/1';

  it('recognises the id in a header as the broker returns it (bytes) or as a string', () => {
    expect(carriesEventId({ ce_id: Buffer.from(id) }, id)).toBe(true);
    expect(carriesEventId({ ce_id: id }, id)).toBe(true);
    expect(carriesEventId({ ce_id: [Buffer.from('other'), Buffer.from(id)] }, id)).toBe(true);
  });

  it('does not take another id, a prefix of it, or a message without the header', () => {
    expect(carriesEventId({ ce_id: Buffer.from('procurement-REQ-1/decision.acted/2') }, id)).toBe(false);
    expect(carriesEventId({ ce_id: Buffer.from('procurement-REQ-1/decision.acted') }, id)).toBe(false);
    expect(carriesEventId({ ce_type: Buffer.from('decision.acted') }, id)).toBe(false);
    expect(carriesEventId(undefined, id)).toBe(false);
  });
});
