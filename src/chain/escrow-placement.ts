// Places the escrow and its ERC-3009 collector at the canonical auth-capture v1.1 addresses on a development chain.
// The official @x402/evm auth-capture client signs only for those addresses (it refuses any other `authCaptureEscrow`),
// so on anvil our contracts stand there, as our Multicall3 stand-in does at Multicall3's address (anvil_setCode).
import { AUTH_CAPTURE_ESCROW_ADDRESS, EIP3009_TOKEN_COLLECTOR_ADDRESS } from '@x402/evm';
import { getAddress, type Hex } from 'viem';
import type { EngineConfig } from '../config';
import { EngineError } from '../errors';
import type { Logger } from '../log';
import { createChainClients } from './clients';
import { CONTRACT_ARTIFACTS as artifacts } from './artifacts';

export const ESCROW_ADDRESS = getAddress(AUTH_CAPTURE_ESCROW_ADDRESS);
export const ESCROW_COLLECTOR_ADDRESS = getAddress(EIP3009_TOKEN_COLLECTOR_ADDRESS);

export class EscrowPlacementError extends EngineError<'escrow_placement_failed'> {
  override readonly name = 'EscrowPlacementError';
  constructor(message: string) {
    super('escrow_placement_failed', message);
  }
}

/**
 * Deploys escrow and collector normally (so their immutables — the collector's escrow, the escrow's collector — are
 * filled in), then copies their runtime code to the canonical addresses. Storage (the holds) survives a re-placement,
 * which happens only when the code there is missing or of another length (changed sources).
 */
export async function ensureEscrowContracts(
  config: EngineConfig,
  logger?: Logger,
): Promise<{ escrow: `0x${string}`; collector: `0x${string}` }> {
  const { publicClient, walletClient } = createChainClients(config, config.keys.deployer);
  const [escrowCode, collectorCode] = await Promise.all([
    publicClient.getCode({ address: ESCROW_ADDRESS }),
    publicClient.getCode({ address: ESCROW_COLLECTOR_ADDRESS }),
  ]);
  // Immutables do not change the code's length: the same lengths mean the same sources are in place.
  if (
    escrowCode?.length === artifacts.ProofpathEscrow.deployedBytecode.length &&
    collectorCode?.length === artifacts.ProofpathEip3009Collector.deployedBytecode.length
  ) {
    return { escrow: ESCROW_ADDRESS, collector: ESCROW_COLLECTOR_ADDRESS };
  }
  async function runtimeOf(
    name: 'ProofpathEscrow' | 'ProofpathEip3009Collector',
    args: readonly [`0x${string}`],
  ): Promise<Hex | undefined> {
    const hash = await walletClient.deployContract({
      abi: artifacts[name].abi,
      bytecode: artifacts[name].bytecode,
      args,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success' || !receipt.contractAddress)
      throw new EscrowPlacementError(`deploying ${name} failed (${hash})`);
    return publicClient.getCode({ address: receipt.contractAddress });
  }
  const place = async (address: `0x${string}`, code: Hex | undefined) => {
    try {
      await publicClient.request({ method: 'anvil_setCode' as 'eth_call', params: [address, code] as never });
    } catch (error) {
      throw new EscrowPlacementError(
        `the chain refused anvil_setCode at ${address} (${(error as Error).message}); escrow mode needs a development chain`,
      );
    }
  };
  await place(ESCROW_ADDRESS, await runtimeOf('ProofpathEscrow', [ESCROW_COLLECTOR_ADDRESS]));
  await place(ESCROW_COLLECTOR_ADDRESS, await runtimeOf('ProofpathEip3009Collector', [ESCROW_ADDRESS]));
  logger?.info(
    { escrow: ESCROW_ADDRESS, collector: ESCROW_COLLECTOR_ADDRESS },
    'escrow placed at the auth-capture addresses',
  );
  return { escrow: ESCROW_ADDRESS, collector: ESCROW_COLLECTOR_ADDRESS };
}
