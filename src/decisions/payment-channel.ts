// Moves a channel-mode charge on the verifier's verdict: signs a ChargeVerdict (EIP-712, ProofpathChannels) with the
// verifier role's key, which the worker holds as it does for escrow releases, disputes and flags, and posts it to the
// facilitator (POST /channels/:channelId/charges/:cumulative/claim|refund). A verified charge is queued and claimed
// with others in a batch; a rolled-back one is refunded to the payer at once. A retry is answered as already done.
import type { Hex } from 'viem';
import { chargeVerdictTypedData } from '../chain/channels';
import type { EngineConfig } from '../config';
import { ChannelChargeResponseSchema, type ChannelChargeResponse } from '../contracts/channel';
import { leanFetch } from '../http-client';
import { tracedFetch } from '../observability';
import { signTypedData } from '../signatures';
import {
  EscrowReleaseRefusedError,
  EscrowReleaseUnavailableError,
  isRetryableReleaseStatus,
  unreadableReleaseAnswerError,
} from './payment-escrow';

export type ChannelVerdictInput = { paymentRef: string; amount: string; reason?: string };
export type ChannelVerdictResult = {
  transaction?: string;
  alreadyDone: boolean;
  state: ChannelChargeResponse['state'];
};
export type PaymentChannel = {
  claim(input: ChannelVerdictInput): Promise<ChannelVerdictResult>;
  refund(input: ChannelVerdictInput): Promise<ChannelVerdictResult>;
};

/** `paymentRef` = `<network>/<asset>/<payer>/<channelId>/<cumulative>` (the node's receipt names the charge so). */
export function chargeOfPaymentRef(paymentRef: string): { channelId: Hex; cumulative: bigint } {
  const [, , , channelId, cumulative] = paymentRef.split('/');
  if (!/^0x[0-9a-fA-F]{64}$/.test(channelId ?? '') || !/^\d+$/.test(cumulative ?? ''))
    throw new EscrowReleaseRefusedError(
      'payment_ref_invalid',
      `paymentRef ${paymentRef} is not <network>/<asset>/<payer>/<channelId>/<cumulative>`,
    );
  return { channelId: (channelId as string).toLowerCase() as Hex, cumulative: BigInt(cumulative as string) };
}

export function createPaymentChannel(
  config: EngineConfig,
  doFetch: typeof fetch = tracedFetch(leanFetch, 'facilitator'),
): PaymentChannel {
  const facilitatorUrl = config.payments.facilitatorUrl.replace(/\/$/, '');

  async function verdict(action: 'claim' | 'refund', input: ChannelVerdictInput): Promise<ChannelVerdictResult> {
    const { channelId, cumulative } = chargeOfPaymentRef(input.paymentRef);
    const charge = { cumulative, amount: BigInt(input.amount) };
    const signature = signTypedData(
      chargeVerdictTypedData(config.chain.chainId, channelId, charge, action === 'claim' ? 'verified' : 'refund'),
      config.keys.verifier,
    );
    const url = `${facilitatorUrl}/channels/${channelId}/charges/${cumulative}/${action}`;
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: input.amount,
        signature,
        ...(input.reason ? { reason: input.reason.slice(0, 300) } : {}),
      }),
      signal: AbortSignal.timeout(60_000),
    }).catch((error: unknown) => {
      throw new EscrowReleaseUnavailableError(
        `facilitator at ${facilitatorUrl} unreachable: ${(error as Error).message}`,
      );
    });
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = ChannelChargeResponseSchema.safeParse(body);
    if (!parsed.success) throw unreadableReleaseAnswerError(response.status, body, 'a charge state');
    const result = parsed.data;
    if (response.ok) return { transaction: result.transaction, alreadyDone: result.alreadyDone, state: result.state };
    if (isRetryableReleaseStatus(response.status))
      throw new EscrowReleaseUnavailableError(`${action}: ${result.errorReason}: ${result.message ?? ''}`);
    throw new EscrowReleaseRefusedError(
      result.errorReason ?? 'channel_verdict_failed',
      `${action} of ${input.paymentRef}: ${result.message ?? result.errorReason}`,
    );
  }

  return { claim: (input) => verdict('claim', input), refund: (input) => verdict('refund', input) };
}
