// The node's local checks of an escrow (auth-capture) payment before it is verified: the signed authorization pays
// the escrow's token collector the offered amount, and the deadlines the payer signed are within the offer's bounds.
import type { PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { isAddressEqual } from 'viem';
import { NodeRequestError } from '../errors';
import { AuthCapturePayloadSchema } from './payment-info';

/** A payer may pin its deadline earlier than offered (to sign the same bytes on a retry), but not by more than this share of the window. */
const MIN_WINDOW_SHARE = 0.5;
/** Clock skew tolerated between payer and node, in seconds. */
const SKEW_SECONDS = 120;

export function checkEscrowAuthorization(
  payload: PaymentPayload,
  offered: PaymentRequirements,
  escrow: { collector: `0x${string}`; captureWindowSeconds: number },
): void {
  const wire = AuthCapturePayloadSchema.safeParse(payload.payload);
  if (!wire.success)
    throw new NodeRequestError(
      'malformed_payment_header',
      `not an x402 auth-capture ERC-3009 payload: ${wire.error.issues[0]?.message}`,
    );
  const { authorization } = wire.data;
  if (authorization.value !== offered.amount) throw new NodeRequestError('payment_amount_mismatch');
  if (!isAddressEqual(authorization.to, escrow.collector))
    throw new NodeRequestError(
      'payment_recipient_mismatch',
      `an escrow payment authorizes the token collector ${escrow.collector}`,
    );
  const extra = (payload.accepted?.extra ?? {}) as { captureDeadline?: unknown; refundDeadline?: unknown };
  const capture = Number(extra.captureDeadline);
  const refund = Number(extra.refundDeadline);
  const now = Math.floor(Date.now() / 1000);
  const earliest = now + Math.floor(escrow.captureWindowSeconds * MIN_WINDOW_SHARE) - SKEW_SECONDS;
  const latest = now + escrow.captureWindowSeconds + SKEW_SECONDS;
  if (
    !Number.isInteger(capture) ||
    capture < earliest ||
    capture > latest ||
    !Number.isInteger(refund) ||
    refund < capture ||
    refund > latest
  ) {
    throw new NodeRequestError('payment_escrow_deadline_out_of_range', undefined, {
      captureDeadline: extra.captureDeadline,
      refundDeadline: extra.refundDeadline,
      earliest,
      latest,
    });
  }
}

/** The requirements the payer signed: the offer with the payer's deadlines (checked above). */
export function escrowRequirementsOf(payload: PaymentPayload, offered: PaymentRequirements): PaymentRequirements {
  const extra = (payload.accepted?.extra ?? {}) as Record<string, unknown>;
  return {
    ...offered,
    extra: { ...offered.extra, captureDeadline: extra.captureDeadline, refundDeadline: extra.refundDeadline },
  };
}
