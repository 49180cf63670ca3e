// `proofpath worker`: runs decision workflows and activities on the configured task queue.
import { createDecisionWorker } from '../../worker';
import type { Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the Temporal worker (decision workflows and activities)',
  async run({ config, logger }) {
    const { worker, connection } = await createDecisionWorker(config, logger, { activities: {} });
    const running = worker.run();
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
    return async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
  },
};
