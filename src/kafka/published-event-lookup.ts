// Finds out whether an event is already on its topic, so that a retried publish does not write it a second time.
//
// Why: the producer is idempotent only within one producer session. An activity attempt that sent its event and was
// then lost (worker SIGKILLed, completion lost in a Temporal restart) is retried by Temporal on another producer,
// which the broker cannot recognise as the same sender: the chaos suite saw 5 event ids twice in 200 decisions.
//
// How: an event keyed by K lands on the partition the producer's partitioner picks for K, at a time no earlier than
// when its activity was first scheduled (Temporal's clock) minus the clock skew between the Temporal server and the
// producing worker. So the lookup reads that one partition from the offset for that timestamp (ListOffsets by time:
// the first offset whose timestamp is at or after it) up to the high-water mark, for a message whose `ce_id` header is
// the event id. kafkajs has no standalone fetch, so the read is a short-lived consumer of a group of its own that is
// assigned that one partition, seeks, commits nothing and stops at the high-water mark read before it started.
// Bounded by `timeoutMs`: a lookup that cannot finish fails (retryable), it never answers "not there" by guessing.
//
// What it cannot see (the remaining window): an earlier attempt whose send is still in flight when the retry reads.
// Temporal retries when an attempt failed, or timed out (startToClose, 30 s) while its worker may still be alive: a
// live but slow attempt (kafkajs retrying its send through a broker restart for longer than the attempt's timeout, a
// long process pause) can have its produce request appended after the retry read the high-water mark, and then the
// id is on the topic twice. So can a message appended on the partition leader but not yet replicated to the in-sync
// replicas (above the high-water mark) when its worker died. Covered are the attempts that have ended: a killed
// worker sends nothing more, and a send that failed (say, the broker went away after appending it) is over. Nor can
// it find an event whose topic gained partitions between the attempts (its key now hashes to another partition).
// Closing the window for good needs fencing the earlier sender (a Kafka transaction per event, transactional.id =
// event id: the retry's initTransactions aborts the zombie's writes, read_committed consumers never see them), at the
// price of a transaction on every first attempt; consumers keep de-duplicating by event id.
import { randomUUID } from 'node:crypto';
import {
  AssignerProtocol,
  type Admin,
  type Consumer,
  type IHeaders,
  type Kafka,
  type PartitionAssigner,
  type PartitionMetadata,
} from 'kafkajs';
import { z } from 'zod';
import { EngineError } from '../errors';
import type { Logger } from '../log';
import { sleep } from '../retry';
import { ENGINE_PARTITIONER } from './producer';

export const PublishedEventQuerySchema = z.object({
  topic: z.string().min(1),
  /** The message key the event was (or would have been) sent with: it picks the partition. */
  key: z.string().min(1),
  /** The CloudEvents id, carried in the `ce_id` header. */
  eventId: z.string().min(1),
  /** No attempt can have sent the event before this time (ms since epoch, the activity's first scheduling). */
  sentNotBeforeMs: z.number().int().nonnegative(),
});
export type PublishedEventQuery = z.infer<typeof PublishedEventQuerySchema>;

/** Where the event was found. */
export type PublishedEventLocation = { partition: number; offset: string; timestampMs: number };

export type PublishedEventLookup = {
  /** The event's place on its topic, or undefined when it is not there; throws `PublishedEventLookupError`. */
  find(query: PublishedEventQuery): Promise<PublishedEventLocation | undefined>;
  /** Resolves when every lookup started so far has ended, including the cleanup of those `find` gave up on (a
   *  timed-out lookup still connecting closes its connections when the connect ends, after `find` has thrown). */
  settled(): Promise<void>;
};

export type PublishedEventLookupOptions = {
  /** How far a producer's clock may be behind the Temporal server's (message timestamps are the producer's). */
  clockSkewMs: number;
  /** The whole lookup (metadata, offsets, joining, reading) must end within this, or it fails. */
  timeoutMs: number;
  /** Prefix of the lookup's one-off consumer groups. */
  groupPrefix?: string;
  logger?: Logger;
};

export class PublishedEventLookupError extends EngineError<'published_event_lookup_failed'> {
  override readonly name = 'PublishedEventLookupError';
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    // Retryable: the next attempt looks again; sending without knowing could duplicate the event.
    super('published_event_lookup_failed', message, { ...options, retryable: true });
  }
}

/** The partition the engine's producers send `key` to: the same partitioner, over all partitions of the topic. */
export function partitionOfKey(topic: string, key: string, partitionMetadata: PartitionMetadata[]): number {
  return ENGINE_PARTITIONER()({ topic, partitionMetadata, message: { key, value: null } });
}

/** The earliest message timestamp the event can carry. */
export function earliestTimestampMs(sentNotBeforeMs: number, clockSkewMs: number): number {
  return Math.max(0, sentNotBeforeMs - clockSkewMs);
}

/** The offsets to read, [from, to), or undefined when there is nothing (no message at or after the timestamp). */
export function offsetsToRead(fromOffset: string, highWatermark: string): { from: bigint; to: bigint } | undefined {
  const from = BigInt(fromOffset);
  const to = BigInt(highWatermark);
  return from >= 0n && from < to ? { from, to } : undefined;
}

/** Whether a message's headers name the event (`ce_id`, CloudEvents' Kafka binding for the id). */
export function carriesEventId(headers: IHeaders | undefined, eventId: string): boolean {
  const value = headers?.ce_id;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => v !== undefined && v.toString() === eventId);
}

/** Assigns the one partition to the (only) member, so the consumer fetches nothing else. */
function onlyPartition(topic: string, partition: number): PartitionAssigner {
  const name = 'ProofpathSinglePartition';
  return () => ({
    name,
    version: 0,
    async assign({ members }) {
      return members.map(({ memberId }, i) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: i === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}

async function locateRange(admin: Admin, query: PublishedEventQuery, clockSkewMs: number) {
  const metadata = await admin.fetchTopicMetadata({ topics: [query.topic] });
  const partitions = metadata.topics[0]?.partitions ?? [];
  if (partitions.length === 0) throw new PublishedEventLookupError(`topic ${query.topic} has no partitions`);
  const partition = partitionOfKey(query.topic, query.key, partitions);
  const since = earliestTimestampMs(query.sentNotBeforeMs, clockSkewMs);
  // High-water marks first: whatever is below them now is all an earlier attempt that has ended can have written.
  const highs = await admin.fetchTopicOffsets(query.topic);
  const starts = await admin.fetchTopicOffsetsByTimestamp(query.topic, since);
  const high = highs.find((p) => p.partition === partition)?.high;
  const start = starts.find((p) => p.partition === partition)?.offset;
  if (high === undefined || start === undefined)
    throw new PublishedEventLookupError(`no offsets for partition ${partition} of ${query.topic}`);
  // The timestamp lookup answers the high-water mark read after ours when nothing is that recent: clamp to ours.
  const range = offsetsToRead(BigInt(start) > BigInt(high) ? high : start, high);
  return { partition, range };
}

function readForEvent(
  consumer: Consumer,
  query: PublishedEventQuery,
  partition: number,
  range: { from: bigint; to: bigint },
): Promise<PublishedEventLocation | undefined> {
  return new Promise((resolve, reject) => {
    const reachedEnd = (lastOffset: string) => {
      if (BigInt(lastOffset) + 1n >= range.to) resolve(undefined);
    };
    // Every fetched batch ends here, also one that held only filtered records (control records, compacted gaps).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.partition === partition) reachedEnd(payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    consumer
      .run({
        // Nothing is committed (the group is thrown away); each batch's last offset is resolved, so fetching moves on.
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= range.to) break;
            if (carriesEventId(message.headers, query.eventId) && message.key?.toString() === query.key)
              return resolve({ partition, offset: message.offset, timestampMs: Number(message.timestamp) });
          }
        },
      })
      .then(() => consumer.seek({ topic: query.topic, partition, offset: range.from.toString() }))
      .catch(reject);
  });
}

export function createPublishedEventLookup(kafka: Kafka, options: PublishedEventLookupOptions): PublishedEventLookup {
  const groupPrefix = options.groupPrefix ?? 'proofpath-event-lookup';
  const inFlight = new Set<Promise<unknown>>();
  return {
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async find(input) {
      const query = PublishedEventQuerySchema.parse(input);
      const admin = kafka.admin();
      let consumer: Consumer | undefined;
      let abandoned = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new PublishedEventLookupError(
                `could not read ${query.topic} for event ${query.eventId} within ${options.timeoutMs} ms`,
                { details: { ...query, timeoutMs: options.timeoutMs } },
              ),
            ),
          options.timeoutMs,
        );
      });
      const lookup = async () => {
        try {
          return await lookupOnce();
        } finally {
          // Timed out while connecting: the caller's cleanup ran before these connections existed, close them here
          // (an admin left connected kept a test process alive, and would leak one connection per timed-out retry).
          if (abandoned) await Promise.allSettled([consumer?.disconnect(), admin.disconnect()]);
        }
      };
      const lookupOnce = async () => {
        await admin.connect();
        const { partition, range } = await locateRange(admin, query, options.clockSkewMs);
        // Timed out meanwhile: start no consumer that nobody would stop.
        if (!range || abandoned) return undefined;
        consumer = kafka.consumer({
          groupId: `${groupPrefix}-${randomUUID()}`,
          partitionAssigners: [onlyPartition(query.topic, partition)],
          maxWaitTimeInMs: 250,
          retry: { retries: 2, restartOnFailure: async () => false },
        });
        await consumer.connect();
        await consumer.subscribe({ topics: [query.topic] });
        if (abandoned) return consumer.disconnect().then(() => undefined);
        const found = await readForEvent(consumer, query, partition, range);
        options.logger?.debug(
          { eventId: query.eventId, partition, from: String(range.from), to: String(range.to), found },
          'looked for a published event',
        );
        return found;
      };
      const looking = lookup();
      inFlight.add(looking);
      void looking.catch(() => undefined).finally(() => inFlight.delete(looking));
      try {
        return await Promise.race([looking, timeout]);
      } catch (error) {
        if (error instanceof PublishedEventLookupError) throw error;
        throw new PublishedEventLookupError(`could not read ${query.topic} for event ${query.eventId}`, {
          details: query,
          cause: error,
        });
      } finally {
        abandoned = true;
        clearTimeout(timer);
        // Leaving a broker that is away can hang: the attempt's answer does not wait for it.
        const closing = Promise.allSettled([consumer?.disconnect(), admin.disconnect()]);
        await Promise.race([closing, sleep(2_000)]);
      }
    },
  };
}
