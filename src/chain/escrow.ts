// The escrow as a port: read a hold and the transactions that moved it, authorize (collect into escrow), capture,
// refund, refund after the deadline; and the EIP-712 release a verifier signs.
import { BaseError, ContractFunctionRevertedError, encodeAbiParameters, type Hex } from 'viem';
import type { EngineConfig } from '../config';
import { EngineError } from '../errors';
import { createChainClients, createReadClient, type ChainClients } from './clients';
import { CONTRACT_ARTIFACTS } from './artifacts';
import { ESCROW_ADDRESS, ESCROW_COLLECTOR_ADDRESS } from './escrow-placement';
import { ChainClientReadOnlyError } from './read-only';

export type EscrowHoldState = 'none' | 'held' | 'captured' | 'refunded';
export type EscrowHold = {
  payer: `0x${string}`;
  receiver: `0x${string}`;
  token: `0x${string}`;
  amount: bigint;
  captureDeadline: number;
  state: EscrowHoldState;
  verifier: `0x${string}`;
};
export type EscrowAction = 'capture' | 'refund';
/** The transaction of each step a hold has gone through, read from the escrow's events. */
export type EscrowEvent = {
  step: 'authorize' | 'capture' | 'refund';
  transaction: Hex;
  blockNumber: bigint;
  by?: `0x${string}`;
  reason?: string;
};
export type PaymentInfo = {
  operator: `0x${string}`;
  payer: `0x${string}`;
  receiver: `0x${string}`;
  token: `0x${string}`;
  maxAmount: bigint;
  preApprovalExpiry: number;
  authorizationExpiry: number;
  refundExpiry: number;
  minFeeBps: number;
  maxFeeBps: number;
  feeReceiver: `0x${string}`;
  salt: bigint;
};

const STATES: EscrowHoldState[] = ['none', 'held', 'captured', 'refunded'];
const ACTION_CODES: Record<EscrowAction, number> = { capture: 1, refund: 2 };

/** The verdict a registered verifier signs to release one hold (ProofpathEscrow.RELEASE_TYPEHASH). */
export function releaseTypedData(chainId: number, holdId: Hex, receiptDigest: Hex, action: EscrowAction) {
  return {
    domain: { name: 'proofpath.escrow', version: '1', chainId, verifyingContract: ESCROW_ADDRESS },
    types: {
      Release: [
        { name: 'holdId', type: 'bytes32' },
        { name: 'receiptDigest', type: 'bytes32' },
        { name: 'action', type: 'uint8' },
      ],
    },
    primaryType: 'Release' as const,
    message: { holdId, receiptDigest, action: ACTION_CODES[action] },
  };
}

export function collectorDataOf(binding: { signature: Hex; verifier: `0x${string}`; saltNonce: Hex }): Hex {
  return encodeAbiParameters(
    [{ type: 'bytes' }, { type: 'address' }, { type: 'uint256' }],
    [binding.signature, binding.verifier, BigInt(binding.saltNonce)],
  );
}

export class EscrowWriteError extends EngineError<'escrow_write_failed'> {
  override readonly name = 'EscrowWriteError';
  constructor(
    message: string,
    readonly reverted: boolean,
    readonly transaction?: Hex,
  ) {
    // A reverted transaction reverts again; a send that never reached the chain may go through next time.
    super('escrow_write_failed', message, { retryable: !reverted, details: { reverted, transaction } });
  }
}

export type EscrowContract = {
  readonly address: `0x${string}`;
  holdOf(holdId: Hex): Promise<EscrowHold>;
  eventsOf(holdId: Hex): Promise<EscrowEvent[]>;
  /** collectorData carries the payer's signature and the verifier its salt binds (with the salt nonce). */
  authorize(info: PaymentInfo, binding: { signature: Hex; verifier: `0x${string}`; saltNonce: Hex }): Promise<Hex>;
  capture(holdId: Hex, receiptDigest: Hex, verifierSignature: Hex): Promise<Hex>;
  refund(holdId: Hex, receiptDigest: Hex, reason: string, verifierSignature: Hex): Promise<Hex>;
  refundExpired(holdId: Hex): Promise<Hex>;
  /** Holds created (PaymentHeld) in a block range, for the facilitator's sweeper. */
  heldBetween(fromBlock: bigint, toBlock: bigint): Promise<{ holdId: Hex; captureDeadline: number }[]>;
  /** The newest block's number and timestamp: the escrow's deadlines are compared with block time, not a local clock. */
  head(): Promise<{ number: bigint; timestamp: number }>;
};

/** `signer` (a key, or clients to share with) submits: anyone may relay a verifier's release, the facilitator does.
 *  Omit it to read only. */
export function createEscrowContract(config: EngineConfig, signer?: `0x${string}` | ChainClients): EscrowContract {
  const { abi } = CONTRACT_ARTIFACTS.ProofpathEscrow;
  const clients = typeof signer === 'string' ? createChainClients(config, signer) : signer;
  const publicClient = clients?.publicClient ?? createReadClient(config);
  const address = ESCROW_ADDRESS;

  async function write(functionName: string, args: readonly unknown[]): Promise<Hex> {
    if (!clients) throw new ChainClientReadOnlyError('escrow', functionName);
    let hash: Hex;
    try {
      // Simulated first: a release that would revert (already released, bad signature) costs no transaction.
      const { request } = await publicClient.simulateContract({
        address,
        abi,
        functionName,
        args,
        account: clients.account,
      } as never);
      hash = await clients.walletClient.writeContract(request as never);
    } catch (error) {
      const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
      const reason = reverted
        ? (
            (error as BaseError).walk(
              (e) => e instanceof ContractFunctionRevertedError,
            ) as ContractFunctionRevertedError
          ).reason
        : undefined;
      throw new EscrowWriteError(
        `${functionName}: ${reason ?? (error as Error).message.split('\n')[0]}`,
        Boolean(reverted),
      );
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success')
      throw new EscrowWriteError(`${functionName} transaction ${hash} reverted`, true, hash);
    return hash;
  }

  return {
    address,
    async holdOf(holdId) {
      const hold = (await publicClient.readContract({ address, abi, functionName: 'holdOf', args: [holdId] })) as Omit<
        EscrowHold,
        'state' | 'captureDeadline'
      > & { state: number; captureDeadline: number | bigint };
      return { ...hold, captureDeadline: Number(hold.captureDeadline), state: STATES[hold.state] ?? 'none' };
    },
    async eventsOf(holdId) {
      const read = (eventName: string) =>
        publicClient.getContractEvents({ address, abi, eventName, args: { holdId }, fromBlock: 0n } as never);
      const [held, captured, refunded] = await Promise.all([
        read('PaymentHeld'),
        read('PaymentCaptured'),
        read('PaymentRefunded'),
      ]);
      type Log = {
        transactionHash: Hex;
        blockNumber: bigint;
        args: { verifier?: `0x${string}`; by?: `0x${string}`; reason?: string };
      };
      const of = (step: EscrowEvent['step'], logs: unknown[]) =>
        (logs as Log[]).map((l): EscrowEvent => ({
          step,
          transaction: l.transactionHash,
          blockNumber: l.blockNumber,
          ...((l.args.verifier ?? l.args.by) ? { by: l.args.verifier ?? l.args.by } : {}),
          ...(l.args.reason ? { reason: l.args.reason } : {}),
        }));
      return [...of('authorize', held), ...of('capture', captured), ...of('refund', refunded)];
    },
    authorize: (info, binding) =>
      write('authorize', [info, info.maxAmount, ESCROW_COLLECTOR_ADDRESS, collectorDataOf(binding)]),
    capture: (holdId, receiptDigest, signature) => write('capture', [holdId, receiptDigest, signature]),
    refund: (holdId, receiptDigest, reason, signature) =>
      write('refund', [holdId, receiptDigest, reason.slice(0, 300), signature]),
    refundExpired: (holdId) => write('refundExpired', [holdId]),
    async heldBetween(fromBlock, toBlock) {
      const logs = (await publicClient.getContractEvents({
        address,
        abi,
        eventName: 'PaymentHeld',
        fromBlock,
        toBlock,
      } as never)) as unknown as { args: { holdId: Hex; captureDeadline: number | bigint } }[];
      return logs.map((l) => ({ holdId: l.args.holdId, captureDeadline: Number(l.args.captureDeadline) }));
    },
    async head() {
      const block = await publicClient.getBlock({ blockTag: 'latest' });
      return { number: block.number, timestamp: Number(block.timestamp) };
    },
  };
}
