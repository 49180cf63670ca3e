// `proofpath bridge`: Kafka logistics events and verifier verdicts in, Temporal starts and signals out.
import { connectTemporalClient } from '../../decisions/temporal-client';
import { createDecisionStarter, decisionSettings } from '../../decisions/starter';
import { startBridge } from '../../kafka/bridge';
import { createKafka } from '../../kafka/client';
import {
  DECISION_METRICS_OPTIONS,
  KAFKA_METRICS_OPTIONS,
  startProcessMetrics,
  startTracing,
} from '../../observability';
import type { Command } from '../command';

export const bridgeCommand: Command = {
  name: 'bridge',
  summary: 'consume logistics events and verdicts from Kafka and start/signal decision workflows',
  async run({ config, logger }) {
    const tracing = startTracing(config, 'bridge');
    const port = config.observability.bridgeMetricsPort;
    const observed = await startProcessMetrics({
      component: 'bridge',
      host: config.ports.host,
      port,
      logger,
      families: [DECISION_METRICS_OPTIONS, KAFKA_METRICS_OPTIONS],
    });
    const temporal = await connectTemporalClient(config);
    const starter = createDecisionStarter(temporal.client, config.temporal.taskQueue, decisionSettings(config));
    const bridge = await startBridge({
      config,
      logger,
      kafka: createKafka(config, logger, 'bridge'),
      starter,
      // No listener, no decision-metrics consumer or lag reads either: nothing would serve them.
      metrics: port === 0 ? undefined : observed.metrics,
      // A consumer that will not restart must not leave a live process that consumes nothing: stop, exit non-zero.
      onFatal: () => {
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    return async () => {
      await bridge.stop();
      await temporal.close();
      await observed.close();
      await tracing?.forceFlush();
    };
  },
};
