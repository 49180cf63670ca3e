// `proofpath worker`: runs decision workflows and activities on the configured task queue.
import { createActivities } from '../../../activities';
import { ACTIVITY_METRICS_OPTIONS, startProcessMetrics, startTracing } from '../../observability';
import { createActivityDependencies, createDecisionWorker } from '../../worker';
import type { Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the Temporal worker (decision workflows and activities)',
  keys: ['payer', 'verifier'],
  async run({ config, logger }) {
    const tracing = startTracing(config, 'worker');
    const observed = await startProcessMetrics({
      component: 'worker',
      host: config.ports.host,
      port: config.observability.workerMetricsPort,
      logger,
      families: [ACTIVITY_METRICS_OPTIONS],
    });
    const dependencies = await createActivityDependencies(config, logger);
    const { worker, connection } = await createDecisionWorker(config, logger, {
      activities: createActivities(dependencies.deps),
      metrics: observed.metrics,
    });
    const running = worker.run();
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
    return async () => {
      // The SDK shuts its workers down on SIGINT/SIGTERM by itself; ask only if it has not already.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await dependencies.close();
      await observed.close();
      await tracing?.forceFlush();
    };
  },
};
