// Activities that move a payment on the verdict, in the modes where money follows verification: escrow (capture to
// the node once verified, refund to the payer when rolled back) and channel (the verified charge is queued for the
// next batch claim, a rolled-back one refunded from the channel). Each is idempotent (one payment, one movement).
import { z } from 'zod';
import type { PaymentChannel } from '../src/decisions/payment-channel';
import type { PaymentEscrow } from '../src/decisions/payment-escrow';
import { EngineError } from '../src/errors';
import { parseActivityInput } from './input';

const ReleaseInput = z.object({
  decisionId: z.string().min(1),
  nodeUrl: z.url(),
  receiptId: z.string().min(1),
  paymentRef: z.string().min(1),
  reason: z.string().min(1).optional(),
  /** The receipt's settlement mode; `channel` charges move through the channel, the rest through the escrow. */
  settlementMode: z.string().optional(),
  /** What the payment was (channel mode signs the charge's amount). */
  amount: z.string().regex(/^\d+$/).optional(),
});
type ReleaseResult = { transaction?: string; alreadyDone: boolean; state?: string };

export function createEscrowActivities(deps: { escrow: PaymentEscrow; channel: PaymentChannel }) {
  function channelInput(input: z.infer<typeof ReleaseInput>) {
    if (!input.amount)
      throw new EngineError('channel_charge_amount_missing', `no amount recorded for ${input.paymentRef}`, {
        retryable: false,
      });
    return { paymentRef: input.paymentRef, amount: input.amount, reason: input.reason };
  }
  return {
    async capturePayment(input: z.input<typeof ReleaseInput>): Promise<ReleaseResult> {
      const parsed = parseActivityInput(ReleaseInput, input);
      if (parsed.settlementMode === 'channel') return deps.channel.claim(channelInput(parsed));
      return deps.escrow.capture(parsed);
    },
    async refundPayment(input: z.input<typeof ReleaseInput>): Promise<ReleaseResult> {
      const parsed = parseActivityInput(ReleaseInput, input);
      if (parsed.settlementMode === 'channel') return deps.channel.refund(channelInput(parsed));
      return deps.escrow.refund(parsed);
    },
  };
}
