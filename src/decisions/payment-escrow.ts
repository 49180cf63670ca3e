// Moves an escrowed payment on the verifier's verdict: signs the release (EIP-712, ProofpathEscrow `Release`) with the
// verifier role's key, which the worker holds as it does for disputes and flags, and has the facilitator relay it
// (POST /escrow/:holdId/capture|refund). A retry after a lost answer is answered with the original transaction.
import type { Hex } from 'viem';
import { releaseTypedData } from '../chain/escrow';
import type { EngineConfig } from '../config';
import { EscrowReleaseResponseSchema } from '../contracts/facilitator-http';
import { leanFetch } from '../http-client';
import { tracedFetch } from '../observability';
import { isTransientHttpStatus } from '../retry';
import { EngineError } from '../errors';
import { authorizationKeyOf } from '../payments/authorization';
import { signTypedData } from '../signatures';

export type EscrowReleaseInput = {
  decisionId: string;
  nodeUrl: string;
  receiptId: string;
  paymentRef: string;
  reason?: string;
};
export type EscrowReleaseResult = { transaction?: string; alreadyDone: boolean };
export type PaymentEscrow = {
  capture(input: EscrowReleaseInput): Promise<EscrowReleaseResult>;
  refund(input: EscrowReleaseInput): Promise<EscrowReleaseResult>;
};

/** The facilitator or node could not be reached, or the payment is not held yet (its authorize may still land). */
export class EscrowReleaseUnavailableError extends EngineError<'escrow_release_unavailable'> {
  override readonly name = 'EscrowReleaseUnavailableError';
  constructor(message: string) {
    super('escrow_release_unavailable', message, { retryable: true });
  }
}

/** The escrow refused for good: the money already moved the other way, the deadline passed, or the verdict is not ours. */
export class EscrowReleaseRefusedError extends EngineError {
  override readonly name = 'EscrowReleaseRefusedError';
  constructor(code: string, message: string) {
    super(code, message, { retryable: false });
  }
}

/** A release answer worth asking again: the facilitator is only away (isTransientHttpStatus), or the hold or route is
 *  not there yet (404: the node's hold may still be on its way to the chain). */
export const isRetryableReleaseStatus = (status: number) => status === 404 || isTransientHttpStatus(status);

/**
 * The error for a facilitator answer that is not a release result (its error handler's `{reason, message}`, a proxy's
 * page): final under the facilitator's own reason when the status is (a failure that cannot heal is answered 4xx or
 * 501); retried when the facilitator is only away (isTransientHttpStatus) or the route is missing (404).
 */
export function unreadableReleaseAnswerError(status: number, body: unknown, expected: string): EngineError {
  const { reason, message } = (body ?? {}) as { reason?: unknown; message?: unknown };
  const what = `facilitator answered ${status} without ${expected}`;
  if (status < 400 || isRetryableReleaseStatus(status)) return new EscrowReleaseUnavailableError(what);
  return new EscrowReleaseRefusedError(
    typeof reason === 'string' ? reason : 'facilitator_refused',
    typeof message === 'string' ? `${what}: ${message}` : what,
  );
}

/** `paymentRef` = `<network>/<asset>/<payer>/<nonce>` → the hold id keccak256(asset ‖ payer ‖ nonce). */
export function holdIdOfPaymentRef(paymentRef: string): Hex {
  const [, asset, payer, nonce] = paymentRef.split('/');
  if (!asset || !payer || !nonce)
    throw new EscrowReleaseRefusedError(
      'payment_ref_invalid',
      `paymentRef ${paymentRef} is not <network>/<asset>/<payer>/<nonce>`,
    );
  return authorizationKeyOf(asset, payer, nonce);
}

export function createPaymentEscrow(
  config: EngineConfig,
  doFetch: typeof fetch = tracedFetch(leanFetch, 'facilitator'),
): PaymentEscrow {
  const facilitatorUrl = config.payments.facilitatorUrl.replace(/\/$/, '');

  async function receiptDigestOf(nodeUrl: string, receiptId: string): Promise<Hex> {
    const response = await doFetch(`${nodeUrl.replace(/\/$/, '')}/v1/receipts/${receiptId}`, {
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => {
      throw new EscrowReleaseUnavailableError(`node at ${nodeUrl} unreachable: ${(error as Error).message}`);
    });
    if (!response.ok)
      throw new EscrowReleaseUnavailableError(`node answered ${response.status} for receipt ${receiptId}`);
    return ((await response.json()) as { digest: Hex }).digest;
  }

  async function release(action: 'capture' | 'refund', input: EscrowReleaseInput): Promise<EscrowReleaseResult> {
    const holdId = holdIdOfPaymentRef(input.paymentRef);
    const receiptDigest = await receiptDigestOf(input.nodeUrl, input.receiptId);
    const signature = signTypedData(
      releaseTypedData(config.chain.chainId, holdId, receiptDigest, action),
      config.keys.verifier,
    );
    const response = await doFetch(`${facilitatorUrl}/escrow/${holdId}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        receiptDigest,
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
    const parsed = EscrowReleaseResponseSchema.safeParse(body);
    if (!parsed.success) throw unreadableReleaseAnswerError(response.status, body, 'a release result');
    const result = parsed.data;
    if (result.status === 'done') return { transaction: result.transaction, alreadyDone: result.alreadyDone };
    if (isRetryableReleaseStatus(response.status))
      throw new EscrowReleaseUnavailableError(`${action}: ${result.errorReason}: ${result.message ?? ''}`);
    throw new EscrowReleaseRefusedError(
      result.errorReason ?? 'escrow_release_failed',
      `${action} of ${input.paymentRef}: ${result.message ?? result.errorReason}`,
    );
  }

  return { capture: (input) => release('capture', input), refund: (input) => release('refund', input) };
}
