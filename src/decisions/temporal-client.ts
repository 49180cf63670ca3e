// A Temporal client for the engine's processes (bridge, CLI, tests), connected to the configured frontend. When the
// process traces, its workflow starts and signals carry the caller's trace context to the workflow.
import { Client, Connection } from '@temporalio/client';
import type { EngineConfig } from '../config';
import { activeTracing, temporalClientInterceptors } from '../observability';
import { temporalConnectionOptions } from './temporal-connection';

export async function connectTemporalClient(config: EngineConfig): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: temporalClientInterceptors(activeTracing()),
  });
  return { client, close: () => connection.close() };
}
