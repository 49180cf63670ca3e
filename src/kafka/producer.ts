// Producers of the engine: idempotent, acks=all, one in-flight request so ordering per key survives retries.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';

export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
