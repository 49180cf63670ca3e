// Builds the paying client from the engine configuration: payer key, the payment token as the one allowed asset,
// and the configured per-payment maximum and daily budget.
import { privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../../config';
import { paymentAssetOf } from '../../chain';
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
  return createPayingClient({
    signer: privateKeyToAccount(options.privateKey ?? config.keys.payer),
    network: asset.network,
    ledger,
    fetch: options.fetch,
    requestTimeoutMs: config.payments.requestTimeoutMs,
  });
}
