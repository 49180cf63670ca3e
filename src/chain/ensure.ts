// Idempotent development provisioning: re-uses the deployment in contracts.json while its code is on the chain,
// otherwise deploys afresh. Called by `npm run stack -- up` and the integration global setup once anvil is healthy.
import type { EngineConfig } from '../config';
import type { ChainDeployment } from '../contracts/chain-deployment';
import type { Logger } from '../log';
import { createReadClient } from './clients';
import { CONTRACT_BUILD } from './artifacts';
import { deployContracts } from './deploy';
import { readDeployment, writeDeployment } from './deployment-file';
import { ensureChannelContracts } from './channel-placement';
import { ensureEscrowContracts } from './escrow-placement';

async function hasCode(config: EngineConfig, addresses: readonly `0x${string}`[]): Promise<boolean> {
  const client = createReadClient(config);
  const codes = await Promise.all(addresses.map((address) => client.getCode({ address })));
  return codes.every((code) => code !== undefined && code !== '0x');
}

export async function ensureDevelopmentContracts(config: EngineConfig, logger: Logger): Promise<ChainDeployment> {
  const existing = readDeployment(config);
  const sourceHash = CONTRACT_BUILD.sourceHash;
  if (existing && existing.chainId === config.chain.chainId && existing.sourceHash !== sourceHash) {
    logger.info(
      { deployed: existing.sourceHash, current: sourceHash },
      'contract sources changed since the last deployment: deploying again',
    );
  } else if (existing && existing.chainId === config.chain.chainId) {
    const addresses = [existing.token.address, existing.registry.address, existing.multicall3.address];
    if (await hasCode(config, addresses)) {
      logger.debug(
        { token: existing.token.address, registry: existing.registry.address },
        'contracts already deployed',
      );
      await ensureEscrowContracts(config, logger);
      await ensureChannelContracts(config, logger);
      return existing;
    }
    logger.info('contracts.json points at addresses without code (fresh chain): deploying again');
  }
  const deployment = await deployContracts({ config, logger });
  writeDeployment(config, deployment);
  await ensureEscrowContracts(config, logger);
  await ensureChannelContracts(config, logger);
  return deployment;
}
