// Producers of the engine: idempotent, acks=all, one in-flight request so ordering per key survives retries.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/** How the engine's producers pick a partition (murmur2 of the key over all partitions, as Java's clients do). */
export const ENGINE_PARTITIONER = Partitioners.DefaultPartitioner;

export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: ENGINE_PARTITIONER,
  });
}
