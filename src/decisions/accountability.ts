// Holds a node to account on chain when its answer failed verification: a PaymentDisputed record (the claim for
// reclaiming the payment; EIP-3009 transfers are final) and a NodeFlagged record, both signed by the verifier role.
import { EngineError } from '../errors';
import { createChainClients, loadContractArtifacts, registryAddressOf } from '../chain';
import type { EngineConfig } from '../config';
import type { NodeAccountability } from './verification-ports';

export class AccountabilityUnavailableError extends EngineError<'accountability_unavailable'> {
  override readonly name = 'AccountabilityUnavailableError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('accountability_unavailable', message, { ...options, retryable: true });
  }
}

export function createOnChainAccountability(config: EngineConfig): NodeAccountability {
  const clients = createChainClients(config, config.keys.verifier);
  const { abi } = loadContractArtifacts(config.cacheDir).SettlementRegistry;

  async function write(functionName: 'flagNode' | 'disputePayment', args: readonly unknown[]): Promise<{ reference: string }> {
    const address = registryAddressOf(config);
    if (!address) throw new AccountabilityUnavailableError('no settlement registry configured (SETTLEMENT_REGISTRY_ADDRESS or a development deployment)');
    const hash = await clients.walletClient.writeContract({ address, abi, functionName, args });
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new AccountabilityUnavailableError(`${functionName} transaction ${hash} reverted`);
    return { reference: hash };
  }

  return {
    // The receipt id is the bytes32 the chain records; the node id is the node's registered address.
    disputePayment: ({ nodeId, receiptId, paymentRef, reason }) => write('disputePayment', [nodeId, receiptId, paymentRef, reason.slice(0, 500)]),
    flagNode: ({ nodeId, receiptId, reason }) => write('flagNode', [nodeId, receiptId, reason.slice(0, 500)]),
  };
}
