// Reads of the payment token that need only ERC-20 (balances), so they work for any EIP-3009 token.
import { erc20Abi } from 'viem';
import type { EngineConfig } from '../config';
import { createReadClient } from './clients';

export async function tokenBalanceOf(
  config: EngineConfig,
  token: `0x${string}`,
  owner: `0x${string}`,
): Promise<bigint> {
  return createReadClient(config).readContract({
    address: token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [owner],
  });
}
