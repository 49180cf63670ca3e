// `npm start`: brings the embedded stack up and runs every engine process in this one process (development).
import { provisionStack } from '../../devstack/provision';
import { stackUp } from '../../devstack/stack';
import { KEY_ROLES } from '../../config';
import { createLogger } from '../../log';
import type { Command } from '../command';
import { bridgeCommand } from './bridge';
import { erpCommand } from './erp';
import { facilitatorCommand } from './facilitator';
import { nodeCommand } from './node';
import { verifierCommand } from './verifier';
import { workerCommand } from './worker';

/** The processes `start` runs together; each is also its own subcommand for scaling out. */
const PROCESSES: Command[] = [facilitatorCommand, nodeCommand, verifierCommand, erpCommand, workerCommand, bridgeCommand];

export const startCommand: Command = {
  name: 'start',
  summary: 'bring up the embedded stack and run all engine processes together (development)',
  keys: KEY_ROLES,
  async run(context) {
    const { config, logger } = context;
    const statuses = await stackUp(config, logger);
    await provisionStack(config, logger);
    const stops: Array<() => Promise<void>> = [];
    for (const process of PROCESSES) {
      const stop = await process.run({ ...context, logger: createLogger(process.name, config) });
      if (stop) stops.push(stop);
    }
    logger.info(
      { services: statuses.map((s) => `${s.name}:${s.state}`), temporalUi: `http://127.0.0.1:${config.temporal.uiPort}` },
      `engine running; Temporal Web UI at http://127.0.0.1:${config.temporal.uiPort}`,
    );
    return async () => {
      // Every process gets its stop, newest first, even when an earlier one fails.
      for (const stop of stops.reverse()) {
        await stop().catch((error: unknown) => logger.error({ err: error }, 'a process failed to stop cleanly'));
      }
    };
  },
};
