// One infer request, end to end. Order matters: the model and body are validated before any payment is looked at, so
// nothing is charged for a request that cannot be served; a re-presented payment is answered from the cache before
// verification (so a settled authorization still returns its original result); concurrent presentations of one
// authorization share a single flight; settlement happens before (individual) or after (deferred, batch) answering.
// The zkML proof of a served answer is journaled with its receipt and started only once the answer is on the wire
// (`afterAnswer`), never before it.
import type { PaymentRequirements } from '@x402/core/types';
import { keccak256, toHex, type Hex } from 'viem';
import { InferRequestSchema, type InferResponse } from '../contracts/inference-http';
import type { SettlementMode } from '../contracts/receipt';
import {
  authorizationKeyOf,
  NodeRequestError,
  paymentRefOf,
  SETTLEMENT_MODES,
  type DecodedPayment,
  type PaymentGate,
} from '../payments';
import type { NodeFaultHooks, ProofService } from '../verification';
import { receiptIdOf } from './receipt-id';
import type { ReceiptSigner } from './receipt-signer';
import type { ReceiptStore, ServedPayment } from './receipt-store';
import { createModelRunner, type ModelRun } from './run-model';
import type { InferenceRuntime } from './runtime';
import type { SettlementQueue } from './settlement-queue';
import { createChannelPaymentHandler, type ChannelPaymentDeps } from './paid-channel-inference';

export type InferAnswer = {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  replayed?: boolean;
  /** Work to start once the answer has been sent (the transport calls it): queues the receipt's proof. */
  afterAnswer?: () => void;
};
export type InferDeps = {
  runtime: InferenceRuntime;
  gate: PaymentGate;
  store: ReceiptStore;
  settlements: SettlementQueue;
  /** Signs receipts (under the unattested_signing_key fault, a key the attestation does not bind). */
  signer: ReceiptSigner;
  /** Fault hooks (`createFaultHooks([])` on an honest node). */
  faults: NodeFaultHooks;
  proofs: Pick<ProofService, 'accept'>;
  nodeId: string;
  mode: SettlementMode;
  priceOf(modelId: string): bigint;
  /** Channel mode (x402 batch-settlement): its gate and the node's channel book. */
  channels?: Pick<ChannelPaymentDeps, 'gate' | 'book'>;
};

const now = () => new Date().toISOString();
/** x402 exact/evm verify's reason for an authorization nonce the token has seen (needs Multicall3 on the chain). */
const NONCE_ALREADY_USED = 'invalid_exact_evm_nonce_already_used';

export function createInferHandler(deps: InferDeps) {
  const { runtime, gate, store, settlements, signer, nodeId, mode, proofs } = deps;
  const flights = new Map<string, { identity: string; answer: Promise<InferAnswer> }>();
  const infer = createModelRunner(runtime, deps.faults);
  const channelPayments = deps.channels
    ? createChannelPaymentHandler({
        ...deps.channels,
        infer,
        serve: (...args) => serve(...args),
        once: (...args) => once(...args),
      })
    : undefined;

  async function serve(
    modelId: string,
    rows: number[][],
    paymentRef: string,
    served?: Omit<ServedPayment, 'body' | 'receiptId'>,
    computed?: ModelRun,
    /** Channel mode: the payment is settled already (a deposit) or needs nothing now (a voucher). */
    paid?: { settlement: InferResponse['settlement']; paymentResponse?: string },
  ): Promise<InferAnswer> {
    const result = computed ?? (await infer(modelId, rows));
    // The digest that was signed is the one journaled and committed on chain (one EIP-712 hash per answer).
    const { receipt, digest } = await signer.sign({
      receiptId: receiptIdOf(nodeId, paymentRef),
      modelId,
      inputHash: result.inputHash,
      outputHash: result.outputHash,
      nodeId,
      issuedAt: now(),
      paymentRef,
      settlementMode: mode,
    });
    const headers: Record<string, string> = {};
    let settlement: InferResponse['settlement'] = paid?.settlement ?? {
      status: served ? 'pending' : 'not_required',
      attempts: 0,
      updatedAt: now(),
    };
    if (paid?.paymentResponse) headers['PAYMENT-RESPONSE'] = paid.paymentResponse;
    if (served && !paid && SETTLEMENT_MODES[mode].settleBeforeAnswer) {
      const settled = await settlements.settleNow(served);
      // Individual mode: an unsettled payment means nothing is served (the outputs are dropped, nothing cached).
      if (!settled.success)
        throw new NodeRequestError('settlement_failed', `settlement failed: ${settled.errorReason}`, {
          settleReason: settled.errorReason,
        });
      settlement = { status: 'settled', transaction: settled.transaction as Hex, attempts: 1, updatedAt: now() };
      headers['PAYMENT-RESPONSE'] = gate.paymentResponseHeader(settled);
    }
    const body: InferResponse = { modelId, outputs: result.outputs, receipt, paymentRef, settlement };
    if (served) {
      const record: ServedPayment = { ...served, receiptId: receipt.receiptId, body };
      const kind = SETTLEMENT_MODES[mode].commitment;
      store.recordServed(record, digest, settlement, { kind, status: 'pending' });
      if (settlement.status === 'pending') settlements.settleLater(record);
      settlements.commitLater(receipt.receiptId, digest, kind);
      // Only recorded receipts are proved: an unrecorded (free) receipt cannot be fetched, hence never verified. The
      // proof job is journaled with the receipt, before the answer: a node killed right after answering proves it on
      // its next start (the verifier would otherwise poll a 404 until its proof timeout and fail an honest receipt).
      const afterAnswer = proofs.accept(receipt.receiptId, result.ran.modelId, result.ran.rows, result.outputs);
      return { status: 200, body, headers, afterAnswer };
    }
    return { status: 200, body, headers };
  }

  function fromCache(served: ServedPayment): InferAnswer {
    // The original response, with the settlement as it stands now (the signed receipt is unchanged).
    const current = store.record(served.receiptId);
    return {
      status: 200,
      body: { ...served.body, settlement: current?.settlement ?? served.body.settlement },
      headers: { 'X-Payment-Replayed': 'true' },
      replayed: true,
    };
  }

  /**
   * One answer per payment: a payment presented again gets its cached answer (or, while its first presentation is
   * still running, shares that flight); the same payment for a different request is refused as a replay.
   */
  async function once(key: string, identity: string, run: () => Promise<InferAnswer>): Promise<InferAnswer> {
    const cached = store.paymentByKey(key as Hex);
    if (cached) {
      if (`${cached.fingerprint}|${cached.requestHash}` === identity) return fromCache(cached);
      throw new NodeRequestError('payment_replayed', 'this payment already paid for a different request', {
        receiptId: cached.receiptId,
      });
    }
    const flight = flights.get(key);
    if (flight) {
      if (flight.identity !== identity)
        throw new NodeRequestError('payment_replayed', 'this payment is paying for a different request right now');
      // The first presentation queues the proof; a shared answer has nothing more to start.
      const { afterAnswer: _queuedByTheFirst, ...shared } = await flight.answer;
      return { ...shared, replayed: true };
    }
    const answer = run();
    flights.set(key, { identity, answer });
    try {
      return await answer;
    } finally {
      flights.delete(key);
    }
  }

  async function paid(
    modelId: string,
    rows: number[][],
    requestHash: Hex,
    payment: DecodedPayment,
    offered: PaymentRequirements,
  ): Promise<InferAnswer> {
    const { authorization, signature } = payment.eip3009;
    const key = authorizationKeyOf(offered.asset, authorization.from, authorization.nonce);
    const fingerprint = keccak256(toHex(JSON.stringify([authorization, signature, payment.payload.accepted])));
    return once(key, `${fingerprint}|${requestHash}`, async () => {
      gate.match(payment, offered);
      // The model runs while the facilitator verifies (its answer is only released if verification passes, and
      // nothing is charged otherwise): paid latency is max(verify, infer) rather than their sum. Only payments that
      // passed the local checks above get this far, which keeps speculative work for junk requests out.
      const speculative = infer(modelId, rows);
      speculative.catch(() => undefined);
      await verifyOrRecoverSettled(payment, offered);
      const computed = await speculative;
      const paymentRef = paymentRefOf(offered.network, offered.asset, authorization.from, authorization.nonce);
      return serve(
        modelId,
        rows,
        paymentRef,
        { key, fingerprint, requestHash, payment: { payload: payment.payload, requirements: offered } },
        computed,
      );
    });
  }

  /**
   * Verifies the payment. One exception: an authorization whose nonce is already used may be one this node settled and
   * then never answered (individual mode settles first; a crash or a lost connection after settling leaves the payer
   * charged and unserved, nothing cached). The facilitator's settlement job for that exact authorization answers a
   * repeated settle with its original success, without a transaction: then the payment is served. Any other used
   * nonce (another payment, another facilitator) stays refused.
   */
  async function verifyOrRecoverSettled(payment: DecodedPayment, offered: PaymentRequirements): Promise<void> {
    try {
      await gate.verify(payment, offered);
    } catch (error) {
      if (!(error instanceof NodeRequestError) || error.reason !== NONCE_ALREADY_USED) throw error;
      const settled = await gate.settle(payment.payload, offered).catch(() => undefined);
      if (!settled?.success) throw error;
    }
  }

  return async function handleInfer(
    modelId: string,
    rawBody: unknown,
    paymentHeader: string | undefined,
    resourceUrl: string,
  ): Promise<InferAnswer> {
    if (!runtime.listModels().some((m) => m.modelId === modelId))
      throw new NodeRequestError('unknown_model', `no model ${modelId} on this node`);
    const parsed = InferRequestSchema.safeParse(rawBody);
    if (!parsed.success)
      throw new NodeRequestError(
        'malformed_body',
        'expected {"rows": number[][]}',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    const { rows } = parsed.data;
    const problems = runtime.validateRows(modelId, rows);
    if (problems.length > 0)
      throw new NodeRequestError('invalid_features', `the rows do not match ${modelId}'s feature schema`, problems);
    const requestHash = keccak256(toHex(JSON.stringify({ modelId, rows })));
    const price = deps.priceOf(modelId);
    if (price === 0n) return serve(modelId, rows, `unpaid/${requestHash}`);
    if (channelPayments) return channelPayments(modelId, rows, requestHash, price, paymentHeader, resourceUrl);
    const offered = await gate.requirementsFor(price);
    if (paymentHeader === undefined || paymentHeader === '') {
      throw new NodeRequestError('payment_required', 'this model is paid: see the PAYMENT-REQUIRED header', {
        accepts: [offered],
        resource: resourceUrl,
      });
    }
    return paid(modelId, rows, requestHash, gate.decode(paymentHeader), offered);
  };
}
