// Activities that move an escrowed payment (PAYMENT_SETTLEMENT_MODE=escrow) on the verdict: capture to the node once
// verified, refund to the payer when the decision is rolled back. Each is idempotent (one hold, one movement).
import { z } from 'zod';
import type { PaymentEscrow } from '../src/decisions/payment-escrow';
import { parseActivityInput } from './input';

const ReleaseInput = z.object({
  decisionId: z.string().min(1),
  nodeUrl: z.url(),
  receiptId: z.string().min(1),
  paymentRef: z.string().min(1),
  reason: z.string().min(1).optional(),
});

export function createEscrowActivities(deps: { escrow: PaymentEscrow }) {
  return {
    async capturePayment(input: z.input<typeof ReleaseInput>): Promise<{ transaction?: string; alreadyDone: boolean }> {
      return deps.escrow.capture(parseActivityInput(ReleaseInput, input));
    },
    async refundPayment(input: z.input<typeof ReleaseInput>): Promise<{ transaction?: string; alreadyDone: boolean }> {
      return deps.escrow.refund(parseActivityInput(ReleaseInput, input));
    },
  };
}
