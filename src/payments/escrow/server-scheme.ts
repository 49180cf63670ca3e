// The node's side of the auth-capture scheme in escrow flow: builds the `extra` (escrow as operator, deadlines, no
// fees) and lets x402ResourceServer match a payment whose deadlines differ from the current offer: deadlines move
// with the clock, so they are `dynamicExtraFields`, checked against bounds by the payment gate instead.
import type { AssetAmount, Network, PaymentRequirements, Price, SchemeNetworkServer } from '@x402/core/types';
import { zeroAddress } from 'viem';

export const AUTH_CAPTURE = 'auth-capture';

export type EscrowOffer = {
  escrow: `0x${string}`;
  /** The registered verifier whose signed verdict alone releases the payment (x402 `receiverAuthorizer`). */
  verifier: `0x${string}`;
  /** Seconds from now until only a refund is possible (onchain authorizationExpiry). */
  captureWindowSeconds: number;
};

export class AuthCaptureEscrowServerScheme implements SchemeNetworkServer {
  readonly scheme = AUTH_CAPTURE;
  readonly defaultAssetTransferMethod = 'eip3009';
  readonly paymentFlows = { eip3009: { supported: ['escrow'] as const, default: 'escrow' as const } };
  readonly dynamicExtraFields = ['captureDeadline', 'refundDeadline'];

  constructor(private readonly offer: EscrowOffer) {}

  async parsePrice(price: Price, _network: Network): Promise<AssetAmount> {
    if (typeof price !== 'object' || price === null || !('asset' in price))
      throw new Error('escrow mode needs an explicit { amount, asset } price');
    return price;
  }

  async enhancePaymentRequirements(requirements: PaymentRequirements): Promise<PaymentRequirements> {
    const captureDeadline = Math.floor(Date.now() / 1000) + this.offer.captureWindowSeconds;
    return {
      ...requirements,
      extra: {
        ...requirements.extra,
        authCaptureEscrow: this.offer.escrow,
        // Our escrow is its own operator ("custom"): the collect call is permissionless, and capture/refund need the
        // signed verdict of the verifier named here (bound into the payment by salt binding), which no node can make.
        captureAuthorizer: this.offer.escrow,
        operatorType: 'custom',
        receiverAuthorizer: this.offer.verifier,
        paymentFlow: 'escrow',
        captureDeadline,
        // A captured payment is final and a refund is possible only while held: no refund window after capture.
        refundDeadline: captureDeadline,
        feeRecipient: zeroAddress,
        minFeeBps: 0,
        maxFeeBps: 0,
        // Our extension: a payer that pins its own deadline (for byte-identical retries) uses this window.
        captureWindowSeconds: this.offer.captureWindowSeconds,
      },
    };
  }
}
