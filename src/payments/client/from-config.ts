// Builds the paying client from the engine configuration: payer key, the payment token as the one allowed asset,
// the configured per-payment maximum and daily budget, and the journalled channel book for nodes in channel mode.
import type { EngineConfig } from '../../config';
import { createChannelContract, paymentAssetOf } from '../../chain';
import { createLogger } from '../../log';
import { fastLocalAccount } from '../../signatures';
import { createChannelPayer } from '../channel';
import { createPayingClient, type PayingClient } from './pay-and-infer';
import { createSpendLedger } from './spend-controls';

export function createPayingClientFromConfig(
  config: EngineConfig,
  options: { privateKey?: `0x${string}`; fetch?: typeof fetch } = {},
): PayingClient {
  const asset = paymentAssetOf(config);
  const ledger = createSpendLedger({
    allowedAssets: [{ network: asset.network, asset: asset.address }],
    maxPerPayment: BigInt(config.payments.maxPerPayment),
    dailyBudget: BigInt(config.payments.dailyBudget),
  });
  // EIP-3009 authorizations and channel vouchers are signed with libsecp256k1 (src/signatures), not noble.
  const signer = fastLocalAccount(options.privateKey ?? config.keys.payer);
  const channelContract = createChannelContract(config);
  const channels = createChannelPayer({
    signer,
    channelName: config.payments.channelName,
    stateDir: config.stateDir,
    depositMultiple: BigInt(config.payments.channelDepositMultiple),
    balanceOf: async (channelId) => (await channelContract.balanceOf(channelId)).balance,
    logger: createLogger('payer-channels', config),
  });
  return createPayingClient({
    signer,
    network: asset.network,
    ledger,
    fetch: options.fetch,
    channels,
    requestTimeoutMs: config.payments.requestTimeoutMs,
  });
}
