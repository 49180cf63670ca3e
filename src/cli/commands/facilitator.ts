// `proofpath facilitator`: the x402 facilitator (verify/settle on the configured chain) on FACILITATOR_PORT.
import { startTracing } from '../../observability';
import { startFacilitator } from '../../payments';
import type { Command } from '../command';

export const facilitatorCommand: Command = {
  name: 'facilitator',
  summary: 'run the x402 facilitator: POST /verify, POST /settle, GET /supported, GET /settlements/:id',
  keys: ['facilitator'],
  async run({ config, logger }) {
    const tracing = startTracing(config, 'facilitator');
    const facilitator = await startFacilitator({ config, logger, processMetrics: true });
    return async () => {
      await facilitator.close();
      await tracing?.forceFlush();
    };
  },
};
