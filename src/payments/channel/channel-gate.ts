// The node's side of x402 batch-settlement (channel mode): offers requirements naming the verifier as the channel's
// receiverAuthorizer, decodes and checks a deposit or voucher payload against the offer (no I/O), verifies it through
// the facilitator, and has the facilitator land a deposit before the answer goes out.
import { x402ResourceServer, type FacilitatorClient } from '@x402/core/server';
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
} from '@x402/core/http';
import type {
  AssetAmount,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeNetworkServer,
  SettleResponse,
  VerifyResponse,
} from '@x402/core/types';
import { computeChannelId } from '@x402/evm/batch-settlement/client';
import { getAddress, type Hex } from 'viem';
import type { PaymentAsset } from '../../chain';
import { ChannelPaymentPayloadSchema, type ChannelPaymentPayload } from '../../contracts/channel';
import { NodeRequestError } from '../errors';
import { initializeWithFacilitator } from '../server/facilitator-ready';
import { BATCH_SETTLEMENT } from './channel-payer';

export type ChannelOffer = { verifier: `0x${string}`; withdrawDelaySeconds: number };
export type DecodedChannelPayment = { payload: PaymentPayload; channel: ChannelPaymentPayload; channelId: Hex };

class ChannelServerScheme implements SchemeNetworkServer {
  readonly scheme = BATCH_SETTLEMENT;
  readonly defaultAssetTransferMethod = 'eip3009';
  readonly paymentFlows = { eip3009: { supported: ['authorization'] as const, default: 'authorization' as const } };
  constructor(private readonly offer: ChannelOffer) {}
  async parsePrice(price: Price, _network: Network): Promise<AssetAmount> {
    if (typeof price !== 'object' || price === null || !('asset' in price))
      throw new Error('channel mode needs an explicit { amount, asset } price');
    return price;
  }
  async enhancePaymentRequirements(requirements: PaymentRequirements): Promise<PaymentRequirements> {
    return {
      ...requirements,
      extra: {
        ...requirements.extra,
        receiverAuthorizer: this.offer.verifier,
        withdrawDelay: this.offer.withdrawDelaySeconds,
        assetTransferMethod: 'eip3009',
      },
    };
  }
}

const same = (a: string, b: string) => getAddress(a) === getAddress(b);

/** Local checks: the payload pays this node, in this token, under this verifier and delay, for this channel id. */
export function channelMismatch(channel: ChannelPaymentPayload, offered: PaymentRequirements, offer: ChannelOffer) {
  const c = channel.channelConfig;
  if (!same(c.receiver, offered.payTo)) return 'invalid_batch_settlement_evm_receiver_mismatch';
  if (!same(c.token, offered.asset)) return 'invalid_batch_settlement_evm_token_mismatch';
  if (!same(c.receiverAuthorizer, offer.verifier)) return 'invalid_batch_settlement_evm_receiver_authorizer_mismatch';
  if (c.withdrawDelay !== offer.withdrawDelaySeconds) return 'invalid_batch_settlement_evm_withdraw_delay_mismatch';
  if (
    computeChannelId(c as Parameters<typeof computeChannelId>[0], offered.network).toLowerCase() !==
    channel.voucher.channelId.toLowerCase()
  )
    return 'invalid_batch_settlement_evm_channel_id_mismatch';
  return undefined;
}

export type ChannelGate = {
  requirementsFor(price: bigint): Promise<PaymentRequirements>;
  paymentRequiredHeader(requirements: PaymentRequirements, resourceUrl: string, error: string): Promise<string>;
  decode(header: string): DecodedChannelPayment;
  match(payment: DecodedChannelPayment, offered: PaymentRequirements): void;
  verify(payment: DecodedChannelPayment, offered: PaymentRequirements): Promise<VerifyResponse>;
  /** Lands a deposit (through the facilitator) before the answer: the next voucher needs its balance. */
  settleDeposit(payment: DecodedChannelPayment, offered: PaymentRequirements): Promise<SettleResponse>;
  paymentResponseHeader(settle: SettleResponse): string;
};

export async function createChannelGate(options: {
  facilitator: FacilitatorClient;
  asset: PaymentAsset;
  payTo: `0x${string}`;
  maxTimeoutSeconds: number;
  offer: ChannelOffer;
  initializeAttempts?: number;
}): Promise<ChannelGate> {
  const { asset, payTo, offer } = options;
  const server = new x402ResourceServer(options.facilitator).register(asset.network, new ChannelServerScheme(offer));
  await initializeWithFacilitator(server, options.initializeAttempts);
  const facilitatorCall = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new NodeRequestError('facilitator_unavailable', `${what} failed: ${(error as Error).message}`);
    }
  };
  return {
    async requirementsFor(price) {
      const [requirements] = await server.buildPaymentRequirements({
        scheme: BATCH_SETTLEMENT,
        network: asset.network,
        payTo,
        price: {
          amount: price.toString(),
          asset: asset.address,
          extra: { name: asset.eip712.name, version: asset.eip712.version, settlementMode: 'channel' },
        },
        maxTimeoutSeconds: options.maxTimeoutSeconds,
      });
      if (!requirements) throw new Error('x402ResourceServer built no payment requirements');
      return requirements;
    },
    async paymentRequiredHeader(requirements, resourceUrl, error) {
      const required = await server.createPaymentRequiredResponse(
        [requirements],
        { url: resourceUrl, mimeType: 'application/json' },
        error,
      );
      return encodePaymentRequiredHeader(required);
    },
    decode(header) {
      let payload: PaymentPayload;
      try {
        payload = decodePaymentSignatureHeader(header);
      } catch (error) {
        throw new NodeRequestError('malformed_payment_header', `PAYMENT-SIGNATURE: ${(error as Error).message}`);
      }
      if (payload?.x402Version !== 2)
        throw new NodeRequestError('payment_unsupported_version', 'x402Version 2 is the only one supported');
      const channel = ChannelPaymentPayloadSchema.safeParse(payload.payload);
      if (!channel.success)
        throw new NodeRequestError(
          'malformed_payment_header',
          'payload is not an x402 batch-settlement deposit or voucher (ERC-3009 deposits only)',
        );
      return { payload, channel: channel.data, channelId: channel.data.voucher.channelId.toLowerCase() as Hex };
    },
    match(payment, offered) {
      if (!server.findMatchingRequirements([offered], payment.payload))
        throw new NodeRequestError('payment_requirements_mismatch', 'the payment does not accept this offer');
      const mismatch = channelMismatch(payment.channel, offered, offer);
      if (mismatch) throw new NodeRequestError(mismatch);
    },
    async verify(payment, offered) {
      const result = await facilitatorCall('verify', () => options.facilitator.verify(payment.payload, offered));
      if (!result.isValid)
        throw new NodeRequestError(
          result.invalidReason ?? 'payment_invalid',
          result.invalidMessage ?? `payment rejected: ${result.invalidReason}`,
        );
      return result;
    },
    async settleDeposit(payment, offered) {
      const settled = await facilitatorCall('settle', () => options.facilitator.settle(payment.payload, offered));
      if (!settled.success)
        throw new NodeRequestError('settlement_failed', `deposit failed: ${settled.errorReason}`, {
          settleReason: settled.errorReason,
        });
      return settled;
    },
    paymentResponseHeader: (settle) => encodePaymentResponseHeader(settle),
  };
}
