// Named payment errors with stable codes. Each reason the node answers with is listed once in REASONS with its HTTP
// status, so the README table, the HTTP layer and the client agree. Facilitator reasons (`invalid_exact_evm_*`,
// x402 exact/evm errors.ts) pass through unchanged with status 402.
import { EngineError } from '../errors';
import { isTransientHttpStatus } from '../retry';

export const REASONS = {
  // request problems (nothing is verified or charged)
  unknown_model: { status: 404, meaning: 'No model with this id is served by the node.' },
  malformed_body: { status: 400, meaning: 'The body is not JSON of the shape {rows: number[][]}.' },
  invalid_features: { status: 422, meaning: "The rows do not match the model's feature schema." },
  malformed_payment_header: {
    status: 400,
    meaning: 'PAYMENT-SIGNATURE is not base64 JSON of an x402 v2 PaymentPayload.',
  },
  receipt_not_found: { status: 404, meaning: 'No receipt with this id on this node.' },
  malformed_query: {
    status: 400,
    meaning: 'A query parameter is not what the endpoint takes (GET .../proof?waitMs= takes a non-negative integer).',
  },
  // payment problems (x402 v2, HTTP transport: 402 with a fresh PAYMENT-REQUIRED header)
  payment_required: { status: 402, meaning: 'No PAYMENT-SIGNATURE header; pay per PAYMENT-REQUIRED.' },
  payment_unsupported_version: { status: 402, meaning: 'Only x402Version 2 payloads are accepted.' },
  payment_scheme_mismatch: { status: 402, meaning: 'The payment is not for the `exact` scheme.' },
  payment_network_mismatch: { status: 402, meaning: "The payment is for another chain than the node's." },
  payment_asset_mismatch: { status: 402, meaning: 'The payment is in another token than the one required.' },
  payment_amount_mismatch: { status: 402, meaning: "The payment's amount differs from the model's price." },
  payment_recipient_mismatch: { status: 402, meaning: "The payment is not to the node's address." },
  payment_requirements_mismatch: { status: 402, meaning: 'The accepted requirements differ from the ones offered.' },
  payment_replayed: { status: 402, meaning: 'This authorization already paid for a different request.' },
  payment_escrow_deadline_out_of_range: {
    status: 402,
    meaning:
      'Escrow mode: the signed capture or refund deadline leaves the verifier too little time, or is further out than the node offers.',
  },
  settlement_failed: { status: 402, meaning: 'Individual mode: the payment could not be settled, nothing was served.' },
  // infrastructure
  facilitator_unavailable: { status: 503, meaning: 'The facilitator could not be reached; retry later.' },
  inference_failed: { status: 500, meaning: 'The model runtime failed; nothing was charged.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type PaymentReason = keyof typeof REASONS;

/** Base class: `code` is stable and machine-readable; `retryable` tells retry policies whether trying again can help. */
export class PaymentError extends EngineError {
  override readonly name: string = 'PaymentError';
  constructor(code: string, message: string, retryable = false, details?: unknown) {
    super(code, message, { retryable, details });
  }
}

/** Thrown by the node's pipeline; the HTTP layer turns it into `{reason, message, details}` with REASONS' status. */
export class NodeRequestError extends PaymentError {
  override readonly name = 'NodeRequestError';
  constructor(
    readonly reason: PaymentReason | string,
    message?: string,
    details?: unknown,
  ) {
    super(
      reason,
      message ?? (REASONS as Record<string, { meaning: string }>)[reason]?.meaning ?? reason,
      reason === 'facilitator_unavailable',
      details,
    );
  }
  get status(): number {
    return (REASONS as Record<string, { status: number }>)[this.reason]?.status ?? 402;
  }
}

/** Client side: the node refused the payment (HTTP 402); `code` is the node's or facilitator's reason. */
export class PaymentRejectedError extends PaymentError {
  override readonly name = 'PaymentRejectedError';
}

/**
 * Client side: the node refused the request itself (400/404/422/5xx); `code` is the node's reason. Retryable when the
 * node is only away or busy (408, 429 rate_limited, 500, 502-504): the retry re-presents the same payment.
 */
export class InferenceRequestError extends PaymentError {
  override readonly name = 'InferenceRequestError';
  constructor(
    code: string,
    message: string,
    readonly status: number,
    details?: unknown,
  ) {
    super(code, message, isTransientHttpStatus(status), details);
  }
}

/**
 * Client side: the node's signed receipt does not commit to what it answered (another model, other rows, or outputs
 * whose hash is not the receipt's outputHash). The payment is spent; the answer must not be acted on. Never retryable:
 * a retry re-presents the same payment and gets the same cached answer.
 */
export class ReceiptMismatchError extends PaymentError {
  override readonly name = 'ReceiptMismatchError';
}

/** Client side: a spend control refused the payment before anything was signed. Never retryable. */
export class SpendControlError extends PaymentError {
  override readonly name = 'SpendControlError';
}

export const SPEND_CODES = {
  assetNotAllowed: 'spend_asset_not_allowed',
  maxPerPayment: 'spend_max_per_payment_exceeded',
  dailyBudget: 'spend_daily_budget_exceeded',
  transferMethod: 'spend_transfer_method_unsupported',
} as const;

/** Facilitator side: a request to /verify or /settle that is not an x402 v2 request. */
export class FacilitatorRequestError extends PaymentError {
  override readonly name = 'FacilitatorRequestError';
}
