// Places a pair of contracts that name each other (a payments contract and its ERC-3009 collector) at the canonical
// addresses an official x402 client signs for, on a development chain: each is deployed normally (so its immutable —
// the other's canonical address — is filled in), then its runtime code is copied there with anvil_setCode, as our
// Multicall3 stand-in is at Multicall3's address. Storage at the canonical addresses survives a re-placement.
import type { Hex } from 'viem';
import type { EngineConfig } from '../config';
import { EngineError } from '../errors';
import { CONTRACT_ARTIFACTS as artifacts } from './artifacts';
import { createChainClients } from './clients';

export class CanonicalPlacementError extends EngineError<'canonical_placement_failed'> {
  override readonly name = 'CanonicalPlacementError';
  constructor(message: string) {
    super('canonical_placement_failed', message);
  }
}

type Placed = { name: keyof typeof artifacts; at: `0x${string}`; constructorArg: `0x${string}` };

/** Returns true when it placed code, false when the same sources were already in place. */
export async function placeAtCanonicalAddresses(config: EngineConfig, contracts: readonly Placed[]): Promise<boolean> {
  const { publicClient, walletClient } = createChainClients(config, config.keys.deployer);
  const codes = await Promise.all(contracts.map((c) => publicClient.getCode({ address: c.at })));
  // Immutables do not change the code's length: the same lengths mean the same sources are in place.
  if (contracts.every((c, i) => codes[i]?.length === artifacts[c.name].deployedBytecode.length)) return false;
  for (const contract of contracts) {
    const { abi, bytecode } = artifacts[contract.name];
    const hash = await walletClient.deployContract({ abi, bytecode, args: [contract.constructorArg] } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success' || !receipt.contractAddress)
      throw new CanonicalPlacementError(`deploying ${contract.name} failed (${hash})`);
    const code: Hex | undefined = await publicClient.getCode({ address: receipt.contractAddress });
    try {
      await publicClient.request({ method: 'anvil_setCode' as 'eth_call', params: [contract.at, code] as never });
    } catch (error) {
      throw new CanonicalPlacementError(
        `the chain refused anvil_setCode at ${contract.at} (${(error as Error).message}); this mode needs a development chain`,
      );
    }
  }
  return true;
}
