// `proofpath facilitator`: the x402 facilitator (verify/settle on the configured chain) on FACILITATOR_PORT.
import { startFacilitator } from '../../payments';
import type { Command } from '../command';

export const facilitatorCommand: Command = {
  name: 'facilitator',
  summary: 'run the x402 facilitator: POST /verify, POST /settle, GET /supported, GET /settlements/:id',
  keys: ['facilitator'],
  async run({ config, logger }) {
    const facilitator = await startFacilitator({ config, logger, processMetrics: true });
    return () => facilitator.close();
  },
};
