// `proofpath bridge`: Kafka logistics events and verifier verdicts in, Temporal starts and signals out.
import { connectTemporalClient } from '../../decisions/temporal-client';
import { createDecisionStarter, decisionSettings } from '../../decisions/starter';
import { startBridge } from '../../kafka/bridge';
import { createKafka } from '../../kafka/client';
import type { Command } from '../command';

export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'consume logistics events and verdicts from Kafka and start/signal decision workflows',
  async run({ config, logger }) {
    const temporal = await connectTemporalClient(config);
    const starter = createDecisionStarter(temporal.client, config.temporal.taskQueue, decisionSettings(config));
    const bridge = await startBridge({
      config, logger, kafka: createKafka(config, logger, 'bridge'), starter,
      // A consumer that will not restart must not leave a live process that consumes nothing: stop, exit non-zero.
      onFatal: () => {
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    return async () => {
      await bridge.stop();
      await temporal.close();
    };
  },
};
