// The paying client: x402Client + wrapFetchWithPayment (@x402/fetch) with the idempotent exact/evm scheme and spend
// controls. payAndInfer re-presents the byte-identical payment for the same idempotency key and issuedAt, so a retried
// workflow activity gets the node's original answer instead of a second charge.
import { x402Client, x402HTTPClient } from '@x402/fetch';
import type { ClientEvmSigner } from '@x402/evm';
import type { Network, PaymentPayload, PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { InferResponseSchema, type InferResponse } from '../../contracts/inference-http';
import { inputHash, outputHash } from '../../models/workflow-safe';
import { leanFetch } from '../../http-client';
import { tracedFetch } from '../../observability';
import { InferenceRequestError, PaymentRejectedError, ReceiptMismatchError } from '../errors';
import { IdempotentChannelEvmScheme, type ChannelPayer } from '../channel';
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

export type PayAndInferResult = Pick<InferResponse, 'modelId' | 'outputs' | 'receipt' | 'paymentRef' | 'settlement'> & {
  /** What this inference was charged, in token units (the offer's amount). */
  amount?: string;
};

export type PayingClient = {
  readonly payer: `0x${string}`;
  payAndInfer(params: PayAndInferParams): Promise<PayAndInferResult>;
};

export function createPayingClient(options: {
  signer: ClientEvmSigner;
  network: Network;
  ledger: SpendLedger;
  fetch?: typeof fetch;
  /** Longest wait for the node's answer to one request (a hung connection otherwise waits out the caller). */
  requestTimeoutMs?: number;
  /** Channel mode: the journalled channel book that gives each key its voucher (or deposit). */
  channels?: ChannelPayer;
}): PayingClient {
  const { signer, network, ledger } = options;
  // Traced by default: the node continues the activity's trace from the traceparent of both x402 requests.
  const baseFetch = options.fetch ?? tracedFetch(leanFetch, 'inference-node');
  const firstIssuedAt = new Map<string, number>();
  /** The node's x402 offer (PAYMENT-REQUIRED) per infer URL, i.e. per (node, model), from its last 402. */
  const offers = new Map<string, PaymentRequired>();

  async function payAndInfer(params: PayAndInferParams): Promise<PayAndInferResult> {
    const issuedAtSeconds =
      params.issuedAt !== undefined
        ? toUnixSeconds(params.issuedAt)
        : (firstIssuedAt.get(params.idempotencyKey) ?? toUnixSeconds(Date.now()));
    firstIssuedAt.set(params.idempotencyKey, issuedAtSeconds);
    let refusal: unknown;
    let amount: string | undefined;
    const spendCheck = (requirements: PaymentRequirements) => {
      amount = requirements.amount;
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
    // A node in channel mode offers batch-settlement: the key's charge comes from the journalled channel book.
    if (options.channels)
      client.register(network, new IdempotentChannelEvmScheme(options.channels, params.idempotencyKey, spendCheck));
    try {
      const result = await exchange(params, client, () => refusal);
      return { ...result, ...(amount !== undefined ? { amount } : {}) };
    } finally {
      options.channels?.done(params.idempotencyKey);
    }
  }

  async function exchange(
    params: PayAndInferParams,
    client: x402Client,
    spendRefusal: () => unknown,
  ): Promise<PayAndInferResult> {
    const http = new x402HTTPClient(client);
    const url = `${params.nodeUrl.replace(/\/$/, '')}/v1/models/${encodeURIComponent(params.modelId)}/infer`;
    const post = async (headers: Record<string, string>) => {
      const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 30_000);
      const signal = params.signal ? AbortSignal.any([params.signal, timeout]) : timeout;
      try {
        const response = await baseFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ rows: params.rows }),
          signal,
        });
        return { response, body: await response.text() };
      } catch (error) {
        if (!timeout.aborted || params.signal?.aborted) throw error;
        // Retryable (504-like): the same idempotency key presents the same payment again, charged once.
        throw new InferenceRequestError(
          'node_timeout',
          `node ${params.nodeUrl} did not answer within ${options.requestTimeoutMs ?? 30_000} ms`,
          504,
        );
      }
    };
    const pay = async (required: PaymentRequired) => {
      let payload: PaymentPayload;
      try {
        payload = await client.createPaymentPayload(required);
      } catch (error) {
        // x402Client wraps scheme errors in a plain Error; surface the named refusal instead.
        const refusal = spendRefusal();
        if (refusal) throw refusal;
        throw error;
      }
      return post(http.encodePaymentSignatureHeader(payload));
    };
    // x402 v2 HTTP: a 402 names what the node accepts. With the node's offer for this model known from an earlier
    // payment, the payment goes with the first request; a 402 that offers something else (new price, payee, window)
    // replaces the cached offer and is paid once more, with the same pinned nonce (the refused payment moved nothing).
    const cached = offers.get(url);
    let answer = cached ? await pay(cached) : await post({});
    if (answer.response.status === 402) {
      const offered = paymentRequiredOf(http, answer);
      if (offered && (!cached || !sameOffer(cached, offered))) {
        offers.set(url, offered);
        answer = await pay(offered);
      }
    }
    const body = parsedBody(answer.body);
    const { response } = answer;
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

type Answer = { response: Response; body: string };

const parsedBody = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The offer a 402 carries (PAYMENT-REQUIRED header, or the body for x402 v1 servers); undefined when it has none. */
function paymentRequiredOf(http: x402HTTPClient, answer: Answer): PaymentRequired | undefined {
  try {
    return http.getPaymentRequiredResponse((name) => answer.response.headers.get(name), parsedBody(answer.body));
  } catch {
    return undefined;
  }
}

/** Two offers are the same when they accept the same payments (the `error` and the resource text may differ). */
const sameOffer = (a: PaymentRequired, b: PaymentRequired): boolean =>
  a.x402Version === b.x402Version && JSON.stringify(a.accepts) === JSON.stringify(b.accepts);

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
