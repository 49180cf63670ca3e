// Holds a node to account on chain when its answer failed verification: a PaymentDisputed record (the claim for
// reclaiming the payment; EIP-3009 transfers are final) and a NodeFlagged record, both signed by the verifier role.
import { EngineError } from '../errors';
import { createChainClients, CONTRACT_ARTIFACTS, registryAddressOf } from '../chain';
import type { EngineConfig } from '../config';
import type { NodeAccountability } from './verification-ports';
import type { Hex } from 'viem';

export class AccountabilityUnavailableError extends EngineError<'accountability_unavailable'> {
  override readonly name = 'AccountabilityUnavailableError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('accountability_unavailable', message, { ...options, retryable: true });
  }
}

export function createOnChainAccountability(config: EngineConfig): NodeAccountability {
  const clients = createChainClients(config, config.keys.verifier);
  const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;

  async function write(
    functionName: 'flagNode' | 'disputePayment',
    send: (registry: Hex) => Promise<Hex>,
  ): Promise<{ reference: string }> {
    const address = registryAddressOf(config);
    if (!address)
      throw new AccountabilityUnavailableError(
        'no settlement registry configured (SETTLEMENT_REGISTRY_ADDRESS or a development deployment)',
      );
    const hash = await send(address);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success')
      throw new AccountabilityUnavailableError(`${functionName} transaction ${hash} reverted`);
    return { reference: hash };
  }

  return {
    // The receipt id is the bytes32 the chain records; the node id is the node's registered address.
    // The port carries ids as strings; viem refuses one that is not hex when it encodes the call, as it did before.
    disputePayment: ({ nodeId, receiptId, paymentRef, reason }) =>
      write('disputePayment', (address) =>
        clients.walletClient.writeContract({
          address,
          abi,
          functionName: 'disputePayment',
          args: [nodeId as Hex, receiptId as Hex, paymentRef, reason.slice(0, 500)],
        }),
      ),
    flagNode: ({ nodeId, receiptId, reason }) =>
      write('flagNode', (address) =>
        clients.walletClient.writeContract({
          address,
          abi,
          functionName: 'flagNode',
          args: [nodeId as Hex, receiptId as Hex, reason.slice(0, 500)],
        }),
      ),
  };
}
