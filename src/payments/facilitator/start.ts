// Starts the facilitator process: the x402 EVM facilitator behind its HTTP surface, on the configured or given port.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { EngineConfig } from '../../config';
import type { Logger } from '../../log';
import { createMetrics, type Metrics } from '../../observability';
import { createAuthorizationUseFinder } from './authorization-use';
import { paymentAssetOf } from '../../chain';
import { createChannelCharges, type ChannelCharges } from './channel-charges';
import { createEscrowReleases } from './escrow-releases';
import { createEscrowSweeper, type EscrowSweeper } from './escrow-sweeper';
import { createEvmFacilitator } from './evm-facilitator';
import { createLimitedServer, httpLimitsOf } from '../../http-limits';
import { createFacilitatorApp } from './http';
import { createSettlementJobs } from './settlement-jobs';

export type FacilitatorHandle = {
  url: string;
  address: `0x${string}`;
  metrics: Metrics;
  /** Channel mode: the verifier's verdicts on charges, and the batch claims. */
  channelCharges: ChannelCharges;
  /** Refunds escrowed payments held past their deadline (absent when PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS=0). */
  escrowSweeper?: EscrowSweeper;
  close(): Promise<void>;
};

function startEscrowSweeper(
  config: EngineConfig,
  logger: Logger,
  escrow: Parameters<typeof createEscrowSweeper>[0]['escrow'],
  releases: ReturnType<typeof createEscrowReleases>,
): EscrowSweeper | undefined {
  const intervalSeconds = config.payments.escrowSweepIntervalSeconds;
  if (intervalSeconds <= 0) return undefined;
  let token: `0x${string}`;
  try {
    token = paymentAssetOf(config).address;
  } catch (error) {
    logger.warn({ err: error }, 'escrow sweeper off: no payment token configured or deployed');
    return undefined;
  }
  return createEscrowSweeper({ escrow, releases, token, intervalSeconds, logger });
}

export async function startFacilitator(options: {
  config: EngineConfig;
  logger: Logger;
  port?: number;
  privateKey?: `0x${string}`;
  /** Export Node.js process metrics at /metrics: the facilitator is the whole process. */
  processMetrics?: boolean;
}): Promise<FacilitatorHandle> {
  const { config } = options;
  const logger = options.logger; // the caller's logger names the component (createLogger('facilitator', ...))
  const { facilitator, address, network, escrow, channels } = createEvmFacilitator(config, options.privateKey);
  const metrics = createMetrics({
    processMetrics: options.processMetrics,
    help: {
      facilitator_verify_ms: 'Time to verify one payment (signature, balance, simulation).',
      facilitator_settle_ms: 'Time to settle one payment on chain, including the receipt wait.',
    },
  });
  const jobs = createSettlementJobs(facilitator, {
    findAuthorizationUse: createAuthorizationUseFinder(config),
    logger,
  });
  const limits = httpLimitsOf(config, 'facilitator');
  const releases = createEscrowReleases(escrow, logger);
  const escrowSweeper = startEscrowSweeper(config, logger, escrow, releases);
  const charges = createChannelCharges({
    channels,
    chainId: config.chain.chainId,
    stateDir: config.stateDir,
    facilitatorAddress: address,
    batchSize: config.payments.channelClaimBatchSize,
    intervalMs: config.payments.channelClaimIntervalSeconds * 1000,
    logger,
  });
  const app = createFacilitatorApp({
    facilitator,
    jobs,
    escrow: releases,
    channelCharges: charges,
    metrics,
    logger,
    limits,
  });
  const server: Server = await new Promise((resolve) => {
    const s = createLimitedServer(limits, app).listen(options.port ?? config.ports.facilitator, config.ports.host, () =>
      resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.ports.host}:${port}`;
  logger.info({ url, address, network }, 'facilitator listening');
  return {
    url,
    address,
    metrics,
    channelCharges: charges,
    ...(escrowSweeper ? { escrowSweeper } : {}),
    async close() {
      await escrowSweeper?.stop();
      await charges.stop();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
