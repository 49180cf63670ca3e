// The settlement registry as a port: commit one receipt digest or a batch root, and read commitments back.
import { EngineError } from '../errors';
import { BaseError, ContractFunctionRevertedError, type Hex } from 'viem';
import type { EngineConfig } from '../config';
import { createChainClients } from './clients';
import { CONTRACT_ARTIFACTS } from './artifacts';

export type Commitment = { node: `0x${string}`; size: number; blockNumber: bigint; timestamp: bigint };
export type CommitResult = { transaction?: Hex; blockNumber?: bigint; alreadyCommitted: boolean };

export interface ReceiptRegistry {
  readonly address: `0x${string}`;
  commitReceipt(receiptDigest: Hex): Promise<CommitResult>;
  commitBatch(root: Hex, size: number): Promise<CommitResult>;
  commitmentOf(hash: Hex): Promise<Commitment | undefined>;
  /** Whether this registry lets the committing key commit (`registerNode` was called for it); optional for doubles. */
  isRegisteredNode?(): Promise<boolean>;
}

export class RegistryCommitError extends EngineError<'registry_commit_failed'> {
  override readonly name = 'RegistryCommitError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('registry_commit_failed', message, { ...options, retryable: true });
  }
}

/**
 * The committing key is not a registered node: every commitment from it reverts until the registry owner calls
 * `registerNode` for it (`npm run contracts:deploy` registers NODE_PRIVATE_KEY's address). Retrying cannot help.
 */
export class NodeNotRegisteredError extends Error {
  override readonly name = 'NodeNotRegisteredError';
  readonly code = 'node_not_registered';
  readonly retryable = false;
  constructor(readonly details: { node: `0x${string}`; registry: `0x${string}` }) {
    super(
      `node ${details.node} is not registered on the settlement registry ${details.registry}: the registry owner must call registerNode(${details.node})`,
    );
  }
}

/** The revert reason (a `require` message or a custom error's name), in full: viem's first message line ends before it. */
function revertReasonOf(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk(
    (e) => e instanceof ContractFunctionRevertedError,
  ) as ContractFunctionRevertedError | null;
  return reverted
    ? (reverted.reason ?? reverted.data?.errorName ?? reverted.signature ?? 'no reason given')
    : undefined;
}

export function createReceiptRegistry(
  config: EngineConfig,
  address: `0x${string}`,
  privateKey: `0x${string}`,
): ReceiptRegistry {
  const clients = createChainClients(config, privateKey);
  const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;

  async function commitmentOf(hash: Hex): Promise<Commitment | undefined> {
    const c = (await clients.publicClient.readContract({
      address,
      abi,
      functionName: 'commitmentOf',
      args: [hash],
    })) as Commitment;
    return c.blockNumber === 0n ? undefined : { ...c, size: Number(c.size) };
  }

  async function commit(
    functionName: 'commitReceipt' | 'commitBatch',
    send: () => Promise<Hex>,
    hash: Hex,
  ): Promise<CommitResult> {
    try {
      const transaction = await send();
      const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: transaction });
      if (receipt.status !== 'success')
        throw new RegistryCommitError(`${functionName} transaction ${transaction} reverted`);
      return { transaction, blockNumber: receipt.blockNumber, alreadyCommitted: false };
    } catch (error) {
      // A retry after a lost response finds its own earlier commitment: that is success, not a failure.
      const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
      const existing = reverted ? await commitmentOf(hash).catch(() => undefined) : undefined;
      if (existing && existing.node.toLowerCase() === clients.account.address.toLowerCase()) {
        return { blockNumber: existing.blockNumber, alreadyCommitted: true };
      }
      if (error instanceof RegistryCommitError) throw error;
      const reason = revertReasonOf(error);
      if (reason === 'not a registered node')
        throw new NodeNotRegisteredError({ node: clients.account.address, registry: address });
      if (reason !== undefined) throw new RegistryCommitError(`${functionName} reverted: ${reason}`);
      throw new RegistryCommitError(
        `${functionName} failed: ${(error as BaseError).shortMessage ?? (error as Error).message.split('\n')[0]}`,
      );
    }
  }

  return {
    address,
    commitReceipt: (digest) =>
      commit(
        'commitReceipt',
        () => clients.walletClient.writeContract({ address, abi, functionName: 'commitReceipt', args: [digest] }),
        digest,
      ),
    commitBatch: (root, size) =>
      commit(
        'commitBatch',
        () => clients.walletClient.writeContract({ address, abi, functionName: 'commitBatch', args: [root, size] }),
        root,
      ),
    commitmentOf,
    isRegisteredNode: async () =>
      (await clients.publicClient.readContract({
        address,
        abi,
        functionName: 'isNode',
        args: [clients.account.address],
      })) === true,
  };
}
