// A Temporal client for the engine's processes (bridge, CLI, tests), connected to the configured frontend.
import { Client, Connection } from '@temporalio/client';
import type { EngineConfig } from '../config';

export async function connectTemporalClient(config: EngineConfig): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return { client, close: () => connection.close() };
}
