// `proofpath worker`: runs decision workflows and activities on the configured task queue.
import { createActivities } from '../../../activities';
import { createActivityDependencies, createDecisionWorker } from '../../worker';
import type { Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the Temporal worker (decision workflows and activities)',
  keys: ['payer', 'verifier'],
  async run({ config, logger }) {
    const dependencies = await createActivityDependencies(config, logger);
    const { worker, connection } = await createDecisionWorker(config, logger, { activities: createActivities(dependencies.deps) });
    const running = worker.run();
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
    return async () => {
      // The SDK shuts its workers down on SIGINT/SIGTERM by itself; ask only if it has not already.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await dependencies.close();
    };
  },
};
