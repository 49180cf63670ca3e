// Channel mode at the facilitator: remembers each channel's config and the highest voucher it verified, takes the
// verifier's signed verdict on a charge, and moves the money: a rolled-back charge is refunded at once (refundCharge),
// verified charges wait and are claimed in batches — every N charges or T seconds, all channels in one transaction that
// also pays the nodes (claimVerified + settle). The chain is the record: a verdict for a charge that already moved is
// answered with the transaction that moved it; the contract moves each charge once whatever we send. The book is
// journalled (channels, waiting charges, claims), so a restarted facilitator claims what its predecessor queued.
import path from 'node:path';
import type { PaymentPayload } from '@x402/core/types';
import type { Hex } from 'viem';
import {
  ChainClientReadOnlyError,
  chargeVerdictTypedData,
  ChannelWriteError,
  type ChannelConfig,
  type ChannelContract,
  type Charge,
} from '../../chain';
import {
  ChannelPaymentPayloadSchema,
  type ChannelChargeResponse,
  type ChannelChargeVerdictRequest,
} from '../../contracts/channel';
import { openJournal } from '../../journal';
import type { Logger } from '../../log';
import { sleep } from '../../retry';
import { recoverAddressFromTypedData } from '../../signatures';

type Voucher = { maxClaimableAmount: bigint; signature: Hex };
type Waiting = Charge & { signature: Hex };
type JournalRecord =
  | { t: 'voucher'; channelId: Hex; config: ChannelConfig; maxClaimableAmount: string; signature: Hex }
  | { t: 'verified'; channelId: Hex; cumulative: string; amount: string; signature: Hex }
  | { t: 'claimed'; channelId: Hex; cumulatives: string[]; transaction: Hex };

export type ChargeVerdictOutcome = { status: number; body: ChannelChargeResponse };

export type ChannelCharges = {
  /** A batch-settlement payload the facilitator found valid: its channel and voucher are remembered. */
  observe(payload: PaymentPayload): void;
  verdict(
    channelId: Hex,
    cumulative: bigint,
    action: 'claim' | 'refund',
    request: ChannelChargeVerdictRequest,
  ): Promise<ChargeVerdictOutcome>;
  view(channelId: Hex, cumulative: bigint): Promise<ChannelChargeResponse>;
  /** Claims the verified charges waiting now (the timer and the size trigger call it). */
  flush(): Promise<void>;
  stop(): Promise<void>;
};

export function createChannelCharges(options: {
  channels: ChannelContract;
  chainId: number;
  stateDir: string;
  facilitatorAddress: `0x${string}`;
  batchSize: number;
  intervalMs: number;
  logger: Logger;
}): ChannelCharges {
  const { channels, chainId, logger } = options;
  const journal = openJournal<JournalRecord>(
    path.join(options.stateDir, 'facilitator', `${options.facilitatorAddress.toLowerCase()}.channels.jsonl`),
    logger,
  );
  const configs = new Map<Hex, ChannelConfig>();
  const vouchers = new Map<Hex, Voucher>();
  const waiting = new Map<Hex, Map<string, Waiting>>();
  const settledIn = new Map<string, Hex>();
  const refunds = new Map<string, Promise<ChargeVerdictOutcome>>();

  function apply(r: JournalRecord): void {
    if (r.t === 'voucher') {
      configs.set(r.channelId, r.config);
      const best = vouchers.get(r.channelId);
      if (!best || BigInt(r.maxClaimableAmount) > best.maxClaimableAmount)
        vouchers.set(r.channelId, { maxClaimableAmount: BigInt(r.maxClaimableAmount), signature: r.signature });
    } else if (r.t === 'verified') {
      const charges = waiting.get(r.channelId) ?? new Map<string, Waiting>();
      charges.set(r.cumulative, { cumulative: BigInt(r.cumulative), amount: BigInt(r.amount), signature: r.signature });
      waiting.set(r.channelId, charges);
    } else {
      for (const c of r.cumulatives) {
        waiting.get(r.channelId)?.delete(c);
        settledIn.set(`${r.channelId}:${c}`, r.transaction);
      }
    }
  }
  journal.replay().forEach(apply);
  const write = (r: JournalRecord) => {
    journal.append(r);
    apply(r);
  };
  const waitingCount = () => [...waiting.values()].reduce((n, m) => n + m.size, 0);

  const answer = (
    channelId: Hex,
    cumulative: bigint,
    state: ChannelChargeResponse['state'],
    extra: Partial<ChannelChargeResponse> = {},
  ): ChannelChargeResponse => ({ channelId, cumulative: cumulative.toString(), state, alreadyDone: false, ...extra });

  /** The transaction that settled a charge: ours if we sent it, else its ChargeSettled event (which a node may index
   *  a moment after the state it wrote is readable, so it is looked for a few times). */
  async function transactionOf(channelId: Hex, cumulative: bigint): Promise<Hex | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const known =
        settledIn.get(`${channelId}:${cumulative}`) ?? (await channels.chargeTransactionOf(channelId, cumulative));
      if (known) return known;
      await sleep(100);
    }
    return undefined;
  }

  async function view(channelId: Hex, cumulative: bigint): Promise<ChannelChargeResponse> {
    const state = await channels.chargeStateOf(channelId, cumulative);
    if (state !== 'open') {
      const transaction = await transactionOf(channelId, cumulative);
      return answer(channelId, cumulative, state, transaction ? { transaction } : {});
    }
    return answer(channelId, cumulative, waiting.get(channelId)?.has(cumulative.toString()) ? 'queued' : 'open');
  }

  async function refund(config: ChannelConfig, channelId: Hex, charge: Waiting): Promise<ChargeVerdictOutcome> {
    try {
      const transaction = await channels.refundCharge(config, charge, charge.signature);
      settledIn.set(`${channelId}:${charge.cumulative}`, transaction);
      return { status: 200, body: answer(channelId, charge.cumulative, 'refunded', { transaction }) };
    } catch (error) {
      // Moved meanwhile (a concurrent or earlier attempt, a crash between submit and receipt): the chain says how.
      const now = await view(channelId, charge.cumulative).catch(() => undefined);
      if (now?.state === 'refunded') return { status: 200, body: { ...now, alreadyDone: true } };
      // 503 only for a write that never reached the chain (the worker retries). A facilitator without a key never
      // will: 501, final for the worker (500 would be retried, isTransientHttpStatus), as for escrow releases.
      const [status, errorReason] =
        error instanceof ChainClientReadOnlyError
          ? [501, 'channel_facilitator_read_only']
          : error instanceof ChannelWriteError && error.reverted
            ? [422, 'channel_refund_refused']
            : [503, 'channel_write_failed'];
      return {
        status,
        body: answer(channelId, charge.cumulative, now?.state ?? 'open', {
          errorReason,
          message: (error as Error).message,
        }),
      };
    }
  }

  // Flushes run one after another; one asked for while another runs claims what arrived meanwhile, after it.
  let flushing: Promise<void> = Promise.resolve();
  /** Claims every waiting charge a voucher covers, if there are at least `minimum` of them. */
  async function claimWaiting(minimum: number): Promise<void> {
    if (waitingCount() < minimum) return;
    const claims = [];
    for (const [channelId, charges] of waiting) {
      const config = configs.get(channelId);
      const voucher = vouchers.get(channelId);
      const list = [...charges.values()].filter((c) => voucher && c.cumulative <= voucher.maxClaimableAmount);
      if (!config || !voucher || list.length === 0) continue;
      claims.push({ channelId, claim: { config, voucher, charges: list } });
    }
    if (claims.length === 0) return;
    if (await claimTogether(claims)) return;
    // One channel whose claim the contract refuses (its balance fell below its verified charges: a withdrawal, a
    // receiver's refund) reverts the whole batch; claimed one by one, the others are paid and only it waits.
    if (claims.length > 1) for (const one of claims) await claimTogether([one]);
  }

  async function claimTogether(
    claims: Array<{ channelId: Hex; claim: Parameters<typeof channels.claimVerified>[0][number] }>,
  ) {
    try {
      const transaction = await channels.claimVerified(claims.map((c) => c.claim));
      for (const { channelId, claim } of claims)
        write({ t: 'claimed', channelId, cumulatives: claim.charges.map((c) => c.cumulative.toString()), transaction });
      logger.info(
        { transaction, channels: claims.length, charges: claims.reduce((n, c) => n + c.claim.charges.length, 0) },
        'verified charges claimed',
      );
      return true;
    } catch (error) {
      logger.warn(
        { err: error, channels: claims.map((c) => c.channelId) },
        'claiming verified charges failed; trying again later',
      );
      return false;
    }
  }
  const flush = (minimum = 1) => (flushing = flushing.then(() => claimWaiting(minimum)));
  const timer = setInterval(() => void flush(1), options.intervalMs);
  timer.unref();

  return {
    observe(payload) {
      const parsed = ChannelPaymentPayloadSchema.safeParse(payload.payload);
      if (!parsed.success) return;
      const { channelConfig, voucher } = parsed.data;
      const channelId = voucher.channelId.toLowerCase() as Hex;
      const best = vouchers.get(channelId);
      if (best && best.maxClaimableAmount >= BigInt(voucher.maxClaimableAmount)) return;
      write({
        t: 'voucher',
        channelId,
        config: channelConfig as ChannelConfig,
        maxClaimableAmount: voucher.maxClaimableAmount,
        signature: voucher.signature as Hex,
      });
    },
    async verdict(channelId, cumulative, action, request) {
      const config = configs.get(channelId);
      if (!config)
        return {
          status: 404,
          body: answer(channelId, cumulative, 'open', {
            errorReason: 'channel_unknown',
            message: 'this facilitator has verified no payment on that channel',
          }),
        };
      const charge: Waiting = {
        cumulative,
        amount: BigInt(request.amount),
        signature: request.signature as Hex,
      };
      const signer = recoverAddressFromTypedData(
        chargeVerdictTypedData(chainId, channelId, charge, action === 'claim' ? 'verified' : 'refund'),
        charge.signature,
      );
      if (signer?.toLowerCase() !== config.receiverAuthorizer.toLowerCase())
        return {
          status: 422,
          body: answer(channelId, cumulative, 'open', {
            errorReason: 'channel_verdict_not_authorized',
            message: "the verdict is not signed by the channel's receiverAuthorizer (the verifier)",
          }),
        };
      const now = await view(channelId, cumulative).catch((error: unknown) => error as Error);
      if (now instanceof Error)
        return {
          status: 503,
          body: answer(channelId, cumulative, 'open', { errorReason: 'chain_read_failed', message: now.message }),
        };
      const done = action === 'claim' ? ['claimed', 'queued'] : ['refunded'];
      if (done.includes(now.state)) return { status: 200, body: { ...now, alreadyDone: true } };
      if (now.state !== 'open')
        return {
          status: 409,
          body: { ...now, errorReason: `channel_charge_already_${now.state}`, message: 'a charge moves only once' },
        };
      if (action === 'refund') {
        const key = `${channelId}:${cumulative}`;
        const running = refunds.get(key) ?? refund(config, channelId, charge).finally(() => refunds.delete(key));
        refunds.set(key, running);
        return running;
      }
      // A claim needs a voucher covering it. The node asks this facilitator to verify each voucher before it answers
      // (and /verify records it, journalled, before replying), so a charge the engine holds a verdict on was recorded
      // here before the verdict existed: one above the highest voucher known will never become claimable. Final (409),
      // not queued, where it would wait unclaimed forever, nor 503, where the worker would retry forever. A refund
      // needs no voucher: the contract decides it.
      const voucher = vouchers.get(channelId);
      if (!voucher || cumulative > voucher.maxClaimableAmount)
        return {
          status: 409,
          body: answer(channelId, cumulative, 'open', {
            errorReason: 'channel_charge_above_voucher',
            message: `no voucher this facilitator verified covers cumulative ${cumulative} (highest: ${voucher?.maxClaimableAmount ?? 'none'})`,
          }),
        };
      write({
        t: 'verified',
        channelId,
        cumulative: cumulative.toString(),
        amount: charge.amount.toString(),
        signature: charge.signature,
      });
      // A full batch: claimed after any claim already running (which took only what was waiting when it started).
      if (waitingCount() >= options.batchSize) void flush(options.batchSize);
      return { status: 200, body: answer(channelId, cumulative, 'queued') };
    },
    view,
    flush,
    async stop() {
      clearInterval(timer);
      await flushing;
    },
  };
}
