// An x402 client scheme for `batch-settlement` whose payment for an idempotency key is always the same bytes: it asks
// the payer's journalled channel book (channel-payer.ts) instead of @x402/evm's client, which derives the next voucher
// from a running counter and would sign a new one for a retried activity.
import type { PaymentPayloadResult, PaymentRequirements, SchemeNetworkClient } from '@x402/core/types';
import { BATCH_SETTLEMENT, type ChannelPayer } from './channel-payer';

export class IdempotentChannelEvmScheme implements SchemeNetworkClient {
  readonly scheme = BATCH_SETTLEMENT;

  constructor(
    private readonly payer: ChannelPayer,
    private readonly idempotencyKey: string,
    private readonly beforeSigning: (requirements: PaymentRequirements) => void = () => undefined,
  ) {}

  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements): Promise<PaymentPayloadResult> {
    this.beforeSigning(requirements);
    const charge = await this.payer.paymentFor(this.idempotencyKey, requirements);
    return { x402Version, payload: charge.payload };
  }
}
