// The payment-channel contract as a port: the EIP-712 data a payer (voucher) and a verifier (charge verdict) sign,
// channel reads, and the two moves the engine makes itself: claiming verified charges in batches (with the settle to
// the node in the same transaction) and refunding one rolled-back charge. Deposits go through x402's facilitator.
import {
  BaseError,
  ContractFunctionRevertedError,
  encodeAbiParameters,
  encodeFunctionData,
  hashTypedData,
  keccak256,
  type Hex,
} from 'viem';
import type { EngineConfig } from '../config';
import { EngineError } from '../errors';
import { CONTRACT_ARTIFACTS } from './artifacts';
import { CHANNELS_ADDRESS } from './channel-placement';
import { createChainClients, createReadClient, type ChainClients } from './clients';
import { ChainClientReadOnlyError } from './read-only';

export type ChannelConfig = {
  payer: `0x${string}`;
  payerAuthorizer: `0x${string}`;
  receiver: `0x${string}`;
  receiverAuthorizer: `0x${string}`;
  token: `0x${string}`;
  withdrawDelay: number;
  salt: Hex;
};
export type ChargeVerdictKind = 'verified' | 'refund';
/** One inference's charge: the cumulative amount its voucher named and its price. */
export type Charge = { cumulative: bigint; amount: bigint };
export type ChargeState = 'open' | 'claimed' | 'refunded';
export type ChannelBalance = { balance: bigint; totalClaimed: bigint; refundNonce: bigint };
/** Verified charges of one channel and a payer voucher that covers them. */
export type ChargeClaim = {
  config: ChannelConfig;
  voucher: { maxClaimableAmount: bigint; signature: Hex };
  charges: (Charge & { signature: Hex })[];
};

const VERDICT_CODES: Record<ChargeVerdictKind, number> = { verified: 1, refund: 2 };
const CHARGE_STATES: ChargeState[] = ['open', 'claimed', 'refunded'];

const channelConfigType = [
  { name: 'payer', type: 'address' },
  { name: 'payerAuthorizer', type: 'address' },
  { name: 'receiver', type: 'address' },
  { name: 'receiverAuthorizer', type: 'address' },
  { name: 'token', type: 'address' },
  { name: 'withdrawDelay', type: 'uint40' },
  { name: 'salt', type: 'bytes32' },
] as const;

/** x402 batch-settlement's EIP-712 domain: bound to the chain and the contract's canonical address. */
export function channelDomain(chainId: number) {
  return { name: 'x402 Batch Settlement', version: '1', chainId, verifyingContract: CHANNELS_ADDRESS } as const;
}

export function channelIdOf(chainId: number, config: ChannelConfig): Hex {
  return hashTypedData({
    domain: channelDomain(chainId),
    types: { ChannelConfig: channelConfigType },
    primaryType: 'ChannelConfig',
    message: config,
  });
}

/** The payer's cumulative voucher (x402 batch-settlement `Voucher`). */
export function voucherTypedData(chainId: number, channelId: Hex, maxClaimableAmount: bigint) {
  return {
    domain: channelDomain(chainId),
    types: {
      Voucher: [
        { name: 'channelId', type: 'bytes32' },
        { name: 'maxClaimableAmount', type: 'uint128' },
      ],
    },
    primaryType: 'Voucher' as const,
    message: { channelId, maxClaimableAmount },
  };
}

/** The verifier's word on one charge (our extension, ProofpathChannels.CHARGE_VERDICT_TYPEHASH). */
export function chargeVerdictTypedData(chainId: number, channelId: Hex, charge: Charge, verdict: ChargeVerdictKind) {
  return {
    domain: channelDomain(chainId),
    types: {
      ChargeVerdict: [
        { name: 'channelId', type: 'bytes32' },
        { name: 'cumulative', type: 'uint128' },
        { name: 'amount', type: 'uint128' },
        { name: 'verdict', type: 'uint8' },
      ],
    },
    primaryType: 'ChargeVerdict' as const,
    message: { channelId, cumulative: charge.cumulative, amount: charge.amount, verdict: VERDICT_CODES[verdict] },
  };
}

/** The contract's per-charge key: keccak256(abi.encode(channelId, cumulative)). */
export function chargeKeyOf(channelId: Hex, cumulative: bigint): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint128' }], [channelId, cumulative]));
}

export class ChannelWriteError extends EngineError<'channel_write_failed'> {
  override readonly name = 'ChannelWriteError';
  constructor(
    message: string,
    readonly reverted: boolean,
    readonly revertReason?: string,
  ) {
    // A reverted call reverts again; a send that never reached the chain may go through next time.
    super('channel_write_failed', message, { retryable: !reverted, details: { reverted, revertReason } });
  }
}

export type ChannelContract = {
  readonly address: `0x${string}`;
  balanceOf(channelId: Hex): Promise<ChannelBalance>;
  chargeStateOf(channelId: Hex, cumulative: bigint): Promise<ChargeState>;
  /** The transaction that claimed or refunded a charge (ChargeSettled), if any. */
  chargeTransactionOf(channelId: Hex, cumulative: bigint): Promise<Hex | undefined>;
  /** Claims the verified charges and pays each receiver in the same transaction (multicall of claimVerified + settle). */
  claimVerified(claims: ChargeClaim[]): Promise<Hex>;
  refundCharge(config: ChannelConfig, charge: Charge, verdictSignature: Hex): Promise<Hex>;
  /** What the receiver has been paid out so far (receivers(receiver, token).totalSettled). */
  settledTo(receiver: `0x${string}`, token: `0x${string}`): Promise<bigint>;
};

export function createChannelContract(config: EngineConfig, signer?: `0x${string}` | ChainClients): ChannelContract {
  const { abi } = CONTRACT_ARTIFACTS.ProofpathChannels;
  const clients = typeof signer === 'string' ? createChainClients(config, signer) : signer;
  const publicClient = clients?.publicClient ?? createReadClient(config);
  const address = CHANNELS_ADDRESS;
  const read = (functionName: string, args: readonly unknown[]) =>
    publicClient.readContract({ address, abi, functionName, args } as never) as Promise<unknown>;

  async function write(functionName: string, args: readonly unknown[]): Promise<Hex> {
    if (!clients) throw new ChainClientReadOnlyError('channel', functionName);
    let hash: Hex;
    try {
      // Simulated first: a move that would revert (already refunded, bad signature) costs no transaction.
      const { request } = await publicClient.simulateContract({
        address,
        abi,
        functionName,
        args,
        account: clients.account,
      } as never);
      hash = await clients.walletClient.writeContract(request as never);
    } catch (error) {
      const revert =
        error instanceof BaseError
          ? (error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null)
          : null;
      throw new ChannelWriteError(
        `${functionName}: ${revert?.reason ?? (error as Error).message.split('\n')[0]}`,
        Boolean(revert),
        revert?.reason,
      );
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new ChannelWriteError(`${functionName} transaction ${hash} reverted`, true);
    return hash;
  }

  return {
    address,
    async balanceOf(channelId) {
      const [[balance, totalClaimed], refundNonce] = (await Promise.all([
        read('channels', [channelId]),
        read('refundNonce', [channelId]),
      ])) as [[bigint, bigint], bigint];
      return { balance, totalClaimed, refundNonce };
    },
    async chargeStateOf(channelId, cumulative) {
      const state = (await read('chargeState', [chargeKeyOf(channelId, cumulative)])) as number;
      return CHARGE_STATES[state] ?? 'open';
    },
    async chargeTransactionOf(channelId, cumulative) {
      const logs = (await publicClient.getContractEvents({
        address,
        abi,
        eventName: 'ChargeSettled',
        args: { channelId, cumulative },
        fromBlock: 0n,
      } as never)) as unknown as { transactionHash: Hex }[];
      return logs[0]?.transactionHash;
    },
    claimVerified(claims) {
      const claimArgs = claims.map((c) => ({
        voucher: { channel: c.config, maxClaimableAmount: c.voucher.maxClaimableAmount },
        voucherSignature: c.voucher.signature,
        charges: c.charges.map((charge) => ({
          cumulative: charge.cumulative,
          amount: charge.amount,
          signature: charge.signature,
        })),
      }));
      const calls = [encodeFunctionData({ abi, functionName: 'claimVerified', args: [claimArgs] } as never)];
      const payees = new Map(claims.map((c) => [`${c.config.receiver}/${c.config.token}`, c.config]));
      for (const payee of payees.values())
        calls.push(encodeFunctionData({ abi, functionName: 'settle', args: [payee.receiver, payee.token] } as never));
      return write('multicall', [calls]);
    },
    refundCharge: (channel, charge, signature) =>
      write('refundCharge', [channel, charge.cumulative, charge.amount, signature]),
    async settledTo(receiver, token) {
      const [, totalSettled] = (await read('receivers', [receiver, token])) as [bigint, bigint];
      return totalSettled;
    },
  };
}
