// `proofpath verifier`: runs verification jobs (attestation, zkML proof, re-execution) and publishes verdicts to Kafka.
import { setMaxListeners } from 'node:events';
import { createKafka } from '../../kafka/client';
import { createIdempotentProducer } from '../../kafka/producer';
import { createKafkaVerdictPublisher } from '../../kafka/verdict-publisher';
import { startTracing } from '../../observability';
import { startVerifier } from '../../verification';
import { useSingleThreadBn254 } from '../../verification/proof/bn254-curve';
import type { Command } from '../command';
import { lowerProcessPriority } from '../process-priority';

export const verifierCommand: Command = {
  name: 'verifier',
  summary: 'run the verifier: POST /v1/jobs, GET /v1/verdicts/:receiptId; verdicts to the verdicts topic',
  keys: ['verifier'], // signs its verdicts
  async run({ config, logger }) {
    // Before anything starts its threads (snarkjs' verifier, onnxruntime), which inherit the calling thread's priority.
    lowerProcessPriority(config.verification.nice, logger);
    await useSingleThreadBn254();
    const tracing = startTracing(config, 'verifier');
    const producer = createIdempotentProducer(createKafka(config, logger, 'verifier'));
    await producer.connect();
    const shutdown = new AbortController();
    setMaxListeners(0, shutdown.signal); // each verdict still being retried waits on it: one listener per verdict
    const verifier = await startVerifier({
      config,
      logger,
      publisher: createKafkaVerdictPublisher(producer, config.kafka.verdictsTopic, { logger, signal: shutdown.signal }),
      processMetrics: true,
    });
    return async () => {
      shutdown.abort(); // verdicts still waiting for the broker are given up (and logged), not awaited for minutes
      await verifier.close();
      await producer.disconnect();
      await tracing?.forceFlush();
    };
  },
};
