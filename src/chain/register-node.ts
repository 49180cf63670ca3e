// The registry owner admits another inference node (a second node in development, a demo's faulty node): only
// registered nodes may commit receipts. Idempotent: a node already registered costs no transaction.
import { getAddress, type Address, type Hex } from 'viem';
import type { EngineConfig } from '../config';
import { createChainClients } from './clients';
import { CONTRACT_ARTIFACTS } from './artifacts';

export async function registerNodeOnRegistry(
  config: EngineConfig,
  registry: Address,
  node: Address,
  ownerKey: Hex,
): Promise<{ transaction?: Hex }> {
  const owner = createChainClients(config, ownerKey);
  const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;
  const address = getAddress(node);
  if (await owner.publicClient.readContract({ address: registry, abi, functionName: 'isNode', args: [address] }))
    return {};
  const transaction = await owner.walletClient.writeContract({
    address: registry,
    abi,
    functionName: 'registerNode',
    args: [address],
  });
  await owner.publicClient.waitForTransactionReceipt({ hash: transaction });
  return { transaction };
}
