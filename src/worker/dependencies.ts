// Builds the real dependencies of the decision activities from configuration: the paying client, the node directory,
// the ERP/TMS clients, the decision-event producer, the verifier, the on-chain accountability and the payment escrow.
import type { ActivityDependencies } from '../../activities';
import type { EngineConfig } from '../config';
import { createOnChainAccountability } from '../decisions/accountability';
import { createNodeDirectory } from '../decisions/node-directory';
import { createPaymentEscrow } from '../decisions/payment-escrow';
import { createPaymentChannel } from '../decisions/payment-channel';
import { createHttpVerificationRequester } from '../decisions/verification-ports';
import { createErpClient } from '../erp';
import { createKafka } from '../kafka/client';
import { createDecisionEventPublisher } from '../kafka/decision-events';
import { createIdempotentProducer } from '../kafka/producer';
import { createPublishedEventLookup } from '../kafka/published-event-lookup';
import { sleep } from '../retry';
import type { Logger } from '../log';
import { createPayingClientFromConfig } from '../payments/client';
import { createTmsClient } from '../tms';
import { jobSignerFor } from '../verification';

export type WorkerDependencyOverrides = Partial<ActivityDependencies> & {
  nodeUrls?: string[];
  decisionsTopic?: string;
};

export async function createActivityDependencies(
  config: EngineConfig,
  logger: Logger,
  overrides: WorkerDependencyOverrides = {},
): Promise<{ deps: ActivityDependencies; close(): Promise<void> }> {
  const kafka = createKafka(config, logger, 'worker');
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const nodeUrls = overrides.nodeUrls ?? [config.payments.nodeUrl, ...config.decisions.alternateNodeUrls];
  const lookup = createPublishedEventLookup(kafka, {
    clockSkewMs: config.kafka.eventLookupClockSkewMs,
    timeoutMs: config.kafka.eventLookupTimeoutMs,
    groupPrefix: `${config.kafka.clientId}-event-lookup`,
    logger: logger.child({ component: 'event-lookup' }),
  });
  const deps: ActivityDependencies = {
    payingClient: overrides.payingClient ?? createPayingClientFromConfig(config),
    nodes: overrides.nodes ?? createNodeDirectory(nodeUrls, { selection: config.decisions.nodeSelection }),
    erp: overrides.erp ?? createErpClient({ baseUrl: config.decisions.erpUrl }),
    tms: overrides.tms ?? createTmsClient({ baseUrl: config.decisions.erpUrl }),
    decisionEvents:
      overrides.decisionEvents ??
      createDecisionEventPublisher(
        producer,
        overrides.decisionsTopic ?? config.kafka.decisionsTopic,
        config.decisions.eventSource,
        {
          lookup,
          logger,
        },
      ),
    verifier:
      overrides.verifier ??
      createHttpVerificationRequester(config.decisions.verifierUrl, jobSignerFor(config.keys.payer)),
    accountability: overrides.accountability ?? createOnChainAccountability(config),
    escrow: overrides.escrow ?? createPaymentEscrow(config),
    channel: overrides.channel ?? createPaymentChannel(config),
  };
  return {
    deps,
    async close() {
      // A lookup a retry gave up on may still be connecting: its connections close before the process leaves (bounded:
      // a broker that is away must not hold a shutdown).
      await Promise.race([lookup.settled(), sleep(5_000)]);
      await producer.disconnect();
    },
  };
}
