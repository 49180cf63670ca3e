// Puts our Multicall3 stand-in at Multicall3's canonical address on development chains. The x402 EVM facilitator calls
// Multicall3 (tryAggregate) only to explain a failed simulation: without it a replayed payment is reported as
// `invalid_exact_evm_transaction_simulation_failed` instead of `invalid_exact_evm_nonce_already_used`.
import { EngineError } from '../errors';
import type { Chain, Hex, PublicClient, Transport } from 'viem';

/** Multicall3's address on every chain where it is deployed (github.com/mds1/multicall3). */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const;

export class MulticallPlacementError extends EngineError<'multicall3_missing'> {
  override readonly name = 'MulticallPlacementError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('multicall3_missing', message, { ...options });
  }
}

/** Returns true when code is (now) present at the canonical address; sets it with anvil_setCode when missing. */
export async function ensureMulticall3(
  publicClient: PublicClient<Transport, Chain>,
  runtimeCode: Hex,
): Promise<boolean> {
  const existing = await publicClient.getCode({ address: MULTICALL3_ADDRESS });
  if (existing && existing !== '0x') return true;
  try {
    await publicClient.request({
      method: 'anvil_setCode' as 'eth_call',
      params: [MULTICALL3_ADDRESS, runtimeCode] as never,
    });
  } catch (error) {
    throw new MulticallPlacementError(
      `no Multicall3 at ${MULTICALL3_ADDRESS} and the chain refused anvil_setCode (${(error as Error).message}); deploy Multicall3 there or use a chain that has it`,
    );
  }
  return true;
}
