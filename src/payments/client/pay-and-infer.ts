// The paying client: x402Client + wrapFetchWithPayment (@x402/fetch) with the idempotent exact/evm scheme and spend
// controls. payAndInfer re-presents the byte-identical payment for the same idempotency key and issuedAt, so a retried
// workflow activity gets the node's original answer instead of a second charge.
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import type { ClientEvmSigner } from '@x402/evm';
import type { Network, PaymentRequirements } from '@x402/core/types';
import { InferResponseSchema, type InferResponse } from '../../contracts/inference-http';
import { inputHash, outputHash } from '../../models/workflow-safe';
import { tracedFetch } from '../../observability';
import { InferenceRequestError, PaymentRejectedError, ReceiptMismatchError } from '../errors';
import { IdempotentAuthCaptureEvmScheme } from './idempotent-auth-capture';
import { IdempotentExactEvmScheme } from './idempotent-scheme';
import { derivePaymentNonce, toUnixSeconds } from './nonce';
import type { SpendLedger } from './spend-controls';

export type PayAndInferParams = {
  nodeUrl: string;
  modelId: string;
  rows: number[][];
  /** e.g. `<workflowId>/<step>`; the authorization nonce is derived from it. */
  idempotencyKey: string;
  /** Start of the authorization's validity window; pass a stable time (the workflow's) so retries sign the same bytes.
   *  When omitted, the first call's time is remembered per key for this client's lifetime. */
  issuedAt?: Date | string | number;
  signal?: AbortSignal;
};

export type PayAndInferResult = Pick<InferResponse, 'modelId' | 'outputs' | 'receipt' | 'paymentRef' | 'settlement'>;

export type PayingClient = {
  readonly payer: `0x${string}`;
  payAndInfer(params: PayAndInferParams): Promise<PayAndInferResult>;
};

export function createPayingClient(options: {
  signer: ClientEvmSigner;
  network: Network;
  ledger: SpendLedger;
  fetch?: typeof fetch;
}): PayingClient {
  const { signer, network, ledger } = options;
  // Traced by default: the node continues the activity's trace from the traceparent of both x402 requests.
  const baseFetch = options.fetch ?? tracedFetch(fetch, 'inference-node');
  const firstIssuedAt = new Map<string, number>();

  async function payAndInfer(params: PayAndInferParams): Promise<PayAndInferResult> {
    const issuedAtSeconds =
      params.issuedAt !== undefined
        ? toUnixSeconds(params.issuedAt)
        : (firstIssuedAt.get(params.idempotencyKey) ?? toUnixSeconds(Date.now()));
    firstIssuedAt.set(params.idempotencyKey, issuedAtSeconds);
    let refusal: unknown;
    const spendCheck = (requirements: PaymentRequirements) => {
      try {
        ledger.authorize({
          payer: signer.address,
          network: requirements.network,
          asset: requirements.asset,
          amount: BigInt(requirements.amount),
          idempotencyKey: params.idempotencyKey,
        });
      } catch (error) {
        refusal = error;
        throw error;
      }
    };
    const nonce = derivePaymentNonce(signer.address, params.idempotencyKey);
    const scheme = new IdempotentExactEvmScheme(signer, { nonce, issuedAtSeconds }, spendCheck);
    // A node in escrow mode offers auth-capture instead: the same key pins its salt nonce and deadlines.
    const escrowScheme = new IdempotentAuthCaptureEvmScheme(signer, { saltNonce: nonce, issuedAtSeconds }, spendCheck);
    // x402's built-in spend controls only know its default tokens and throw unnamed errors; ours (above) replace them.
    const client = new x402Client().register(network, scheme).register(network, escrowScheme).setSpendControls(false);
    const paidFetch = wrapFetchWithPayment(baseFetch, client);
    const url = `${params.nodeUrl.replace(/\/$/, '')}/v1/models/${encodeURIComponent(params.modelId)}/infer`;
    let response: Response;
    try {
      response = await paidFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: params.rows }),
        signal: params.signal,
      });
    } catch (error) {
      // wrapFetchWithPayment wraps scheme errors in a plain Error; surface the named refusal instead.
      if (refusal) throw refusal;
      throw error;
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return checkedAgainstReceipt(InferResponseSchema.parse(body), params);
    const reason = typeof body.reason === 'string' ? body.reason : `http_${response.status}`;
    const message = typeof body.message === 'string' ? body.message : `node answered ${response.status}`;
    if (response.status === 402) {
      ledger.release({ payer: signer.address, idempotencyKey: params.idempotencyKey });
      throw new PaymentRejectedError(reason, message, false, body.details);
    }
    throw new InferenceRequestError(reason, message, response.status, body.details);
  }

  return { payer: signer.address, payAndInfer };
}

/**
 * The answer must be the one the receipt signs: same model, our rows, these outputs. Verification later checks the
 * receipt (attestation, proof, re-execution); this check ties what we act on to that receipt, so a node cannot sign an
 * honest result and hand us another.
 */
function checkedAgainstReceipt(answer: InferResponse, params: PayAndInferParams): InferResponse {
  const { receipt } = answer;
  const problems = [
    receipt.modelId !== params.modelId || answer.modelId !== params.modelId
      ? `model: asked ${params.modelId}, receipt ${receipt.modelId}`
      : undefined,
    receipt.inputHash !== inputHash(params.rows)
      ? 'inputHash: the receipt does not commit to the rows sent'
      : undefined,
    receipt.outputHash !== outputHash(answer.outputs)
      ? 'outputHash: the outputs returned are not the ones the receipt commits to'
      : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0)
    throw new ReceiptMismatchError(
      'receipt_mismatch',
      `the node's answer does not match its receipt ${receipt.receiptId}: ${problems.join('; ')}`,
      false,
      { receiptId: receipt.receiptId, nodeId: receipt.nodeId, problems },
    );
  return answer;
}
