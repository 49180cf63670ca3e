// Places the escrow and its ERC-3009 collector at the canonical auth-capture v1.1 addresses on a development chain.
// The official @x402/evm auth-capture client signs only for those addresses (it refuses any other `authCaptureEscrow`),
// so on anvil our contracts stand there, as our Multicall3 stand-in does at Multicall3's address (anvil_setCode).
import { AUTH_CAPTURE_ESCROW_ADDRESS, EIP3009_TOKEN_COLLECTOR_ADDRESS } from '@x402/evm';
import { getAddress } from 'viem';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { placeAtCanonicalAddresses } from './canonical-placement';

export const ESCROW_ADDRESS = getAddress(AUTH_CAPTURE_ESCROW_ADDRESS);
export const ESCROW_COLLECTOR_ADDRESS = getAddress(EIP3009_TOKEN_COLLECTOR_ADDRESS);

export async function ensureEscrowContracts(
  config: EngineConfig,
  logger?: Logger,
): Promise<{ escrow: `0x${string}`; collector: `0x${string}` }> {
  const placed = await placeAtCanonicalAddresses(config, [
    { name: 'ProofpathEscrow', at: ESCROW_ADDRESS, constructorArg: ESCROW_COLLECTOR_ADDRESS },
    { name: 'ProofpathEip3009Collector', at: ESCROW_COLLECTOR_ADDRESS, constructorArg: ESCROW_ADDRESS },
  ]);
  if (placed)
    logger?.info(
      { escrow: ESCROW_ADDRESS, collector: ESCROW_COLLECTOR_ADDRESS },
      'escrow placed at the auth-capture addresses',
    );
  return { escrow: ESCROW_ADDRESS, collector: ESCROW_COLLECTOR_ADDRESS };
}
