// Wires the official x402 facilitator (`x402Facilitator` + the EVM exact scheme) to a viem account on our chain.
import { x402Facilitator } from '@x402/core/facilitator';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator';
import type { EngineConfig } from '../../config';
import { createChainClients, networkOf } from '../../chain';

export type EvmFacilitator = { facilitator: x402Facilitator; address: `0x${string}`; network: `eip155:${number}` };

export function createEvmFacilitator(config: EngineConfig, privateKey: `0x${string}` = config.keys.facilitator): EvmFacilitator {
  // The account carries viem's nonceManager: concurrent settlements from one key otherwise collide on the account
  // nonce (NOTES: 3-5 of 10 succeeded without it, 10 of 10 with it).
  const { account, publicClient, walletClient } = createChainClients(config, privateKey);
  const signer = toFacilitatorEvmSigner(
    {
      address: account.address,
      readContract: (args) => publicClient.readContract(args as never),
      verifyTypedData: (args) => publicClient.verifyTypedData(args as never),
      writeContract: (args) => walletClient.writeContract(args as never),
      sendTransaction: (args) => walletClient.sendTransaction(args as never),
      waitForTransactionReceipt: (args) => publicClient.waitForTransactionReceipt(args),
      getCode: (args) => publicClient.getCode(args),
    },
    { confirmationTimeoutMs: 30_000 },
  );
  const network = networkOf(config);
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: network });
  return { facilitator, address: account.address, network };
}
