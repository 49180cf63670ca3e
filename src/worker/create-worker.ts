// Builds the Temporal worker that runs the decision workflows and their activities.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { installTemporalRuntimeLogger } from '../log';

export const WORKFLOWS_PATH = require.resolve('../../workflows');

export type DecisionWorker = { worker: Worker; connection: NativeConnection };

export async function createDecisionWorker(
  config: EngineConfig,
  logger: Logger,
  options: { activities: object; workflowBundle?: WorkerOptions['workflowBundle']; taskQueue?: string },
): Promise<DecisionWorker> {
  installTemporalRuntimeLogger(logger);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
  return { worker, connection };
}
