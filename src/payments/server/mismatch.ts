// Names precisely why a payment's `accepted` requirements do not match what the node offered. x402's own matcher
// (x402ResourceServer.findMatchingRequirements) only says "No matching payment requirements"; clients deserve the field.
import type { PaymentRequirements } from '@x402/core/types';
import type { PaymentReason } from '../errors';

export function diagnoseRequirementsMismatch(
  offered: PaymentRequirements,
  accepted: Partial<PaymentRequirements> | undefined,
): PaymentReason {
  if (!accepted) return 'payment_requirements_mismatch';
  const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
  if (!same(accepted.scheme, offered.scheme)) return 'payment_scheme_mismatch';
  if (!same(accepted.network, offered.network)) return 'payment_network_mismatch';
  if (!same(accepted.asset, offered.asset)) return 'payment_asset_mismatch';
  if (!same(accepted.amount, offered.amount)) return 'payment_amount_mismatch';
  if (!same(accepted.payTo, offered.payTo)) return 'payment_recipient_mismatch';
  return 'payment_requirements_mismatch';
}

/** The authorization itself may disagree with `accepted` (a client that edits the signed fields): check those too. */
export function diagnoseAuthorizationMismatch(
  offered: PaymentRequirements,
  authorization: { to: string; value: string },
): PaymentReason | undefined {
  if (authorization.value !== offered.amount) return 'payment_amount_mismatch';
  if (authorization.to.toLowerCase() !== offered.payTo.toLowerCase()) return 'payment_recipient_mismatch';
  return undefined;
}
