// Places the payment-channel contract and its ERC-3009 deposit collector at x402 batch-settlement's canonical
// addresses on a development chain: the shipped @x402/evm batch-settlement client, server and facilitator address only
// those (the channel id's EIP-712 domain names the contract), so on anvil our contracts stand there.
import { BATCH_SETTLEMENT_ADDRESS, ERC3009_DEPOSIT_COLLECTOR_ADDRESS } from '@x402/evm';
import { getAddress } from 'viem';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { placeAtCanonicalAddresses } from './canonical-placement';

export const CHANNELS_ADDRESS = getAddress(BATCH_SETTLEMENT_ADDRESS);
export const CHANNEL_DEPOSIT_COLLECTOR_ADDRESS = getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS);

export async function ensureChannelContracts(config: EngineConfig, logger?: Logger): Promise<void> {
  const placed = await placeAtCanonicalAddresses(config, [
    { name: 'ProofpathChannels', at: CHANNELS_ADDRESS, constructorArg: CHANNEL_DEPOSIT_COLLECTOR_ADDRESS },
    {
      name: 'ProofpathChannelDepositCollector',
      at: CHANNEL_DEPOSIT_COLLECTOR_ADDRESS,
      constructorArg: CHANNELS_ADDRESS,
    },
  ]);
  if (placed)
    logger?.info(
      { channels: CHANNELS_ADDRESS, collector: CHANNEL_DEPOSIT_COLLECTOR_ADDRESS },
      'payment channels placed at the batch-settlement addresses',
    );
}
