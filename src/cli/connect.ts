// Clients for the CLI's tools, each behind a fast reachability probe so a stack that is down is reported in a
// second with its address and a hint, instead of after the clients' own retries.
import type { Kafka } from 'kafkajs';
import type { EngineConfig } from '../config';
import { connectTemporalClient } from '../decisions/temporal-client';
import { createKafka } from '../kafka/client';
import type { Logger } from '../log';
import { requireKafka, requireTemporal } from './reachability';

export async function connectTemporal(config: EngineConfig): ReturnType<typeof connectTemporalClient> {
  await requireTemporal(config);
  return connectTemporalClient(config);
}

export async function reachableKafka(config: EngineConfig, logger: Logger, clientSuffix: string): Promise<Kafka> {
  await requireKafka(config);
  return createKafka(config, logger, clientSuffix);
}
