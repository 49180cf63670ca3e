// The node's side of x402 (v2, HTTP transport, exact/evm): offers requirements per model, decodes PAYMENT-SIGNATURE,
// matches and verifies through the facilitator, and settles when the node's policy says so. Built on x402ResourceServer
// (@x402/core/server); when to settle is the caller's decision, not the transport's.
import { x402ResourceServer, type FacilitatorClient } from '@x402/core/server';
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
} from '@x402/core/http';
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@x402/core/types';
import { ExactEvmScheme } from '@x402/evm/exact/server';
import { parseSignature } from 'viem';
import type { PaymentAsset } from '../../chain';
import type { SettlementMode } from '../../contracts/receipt';
import { eip3009PayloadOf, type Eip3009Payload } from '../authorization';
import { NodeRequestError } from '../errors';
import { initializeWithFacilitator } from './facilitator-ready';
import { inSpan, type Metrics } from '../../observability';
import { diagnoseAuthorizationMismatch, diagnoseRequirementsMismatch } from './mismatch';
import { AUTH_CAPTURE, AuthCaptureEscrowServerScheme, type EscrowOffer } from '../escrow/server-scheme';
import { checkEscrowAuthorization, escrowRequirementsOf } from '../escrow/gate-checks';

/** Signatures of other lengths (ERC-1271, ERC-6492 wallets) are left to x402's verify. */
function signatureParses(signature: string): boolean {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return true;
  try {
    parseSignature(signature as `0x${string}`);
    return true;
  } catch {
    return false;
  }
}

export type DecodedPayment = { payload: PaymentPayload; eip3009: Eip3009Payload };

export type PaymentGate = {
  requirementsFor(price: bigint): Promise<PaymentRequirements>;
  /** Base64 PAYMENT-REQUIRED header for a 402 (x402 v2 puts it in the header, not the body). */
  paymentRequiredHeader(requirements: PaymentRequirements, resourceUrl: string, error: string): Promise<string>;
  decode(header: string): DecodedPayment;
  /** Local checks only (no I/O): throws NodeRequestError (402 + reason) unless the payment matches `offered`. */
  match(payment: DecodedPayment, offered: PaymentRequirements): void;
  /** Throws NodeRequestError (402 + reason) unless the facilitator verifies the payment (x402 /verify). */
  verify(payment: DecodedPayment, offered: PaymentRequirements): Promise<void>;
  settle(payload: PaymentPayload, offered: PaymentRequirements): Promise<SettleResponse>;
  paymentResponseHeader(settle: SettleResponse): string;
};

export async function createPaymentGate(options: {
  facilitator: FacilitatorClient;
  asset: PaymentAsset;
  payTo: `0x${string}`;
  settlementMode: SettlementMode;
  maxTimeoutSeconds: number;
  initializeAttempts?: number;
  /** Observes `node_verify_ms` per verification when given. */
  metrics?: Metrics;
  /** Escrow mode: the escrow (x402 auth-capture, escrow flow) and how long it holds a payment for the verifier. */
  escrow?: EscrowOffer & { collector: `0x${string}` };
}): Promise<PaymentGate> {
  const { asset, payTo, settlementMode, maxTimeoutSeconds, escrow } = options;
  if (settlementMode === 'escrow' && !escrow) throw new Error('escrow mode needs the escrow offer');
  const server = new x402ResourceServer(options.facilitator).register(asset.network, new ExactEvmScheme());
  if (escrow) server.register(asset.network, new AuthCaptureEscrowServerScheme(escrow));
  // Escrow mode verifies and settles against what the payer signed (`accepted`): its deadlines were fixed when it
  // signed, and match() has checked every other field against the offer and the deadlines against their bounds.
  const signedOrOffered = (payload: PaymentPayload, offered: PaymentRequirements) =>
    escrow ? escrowRequirementsOf(payload, offered) : offered;
  await initializeWithFacilitator(server, options.initializeAttempts);

  return {
    async requirementsFor(price) {
      const [requirements] = await server.buildPaymentRequirements({
        scheme: escrow ? AUTH_CAPTURE : 'exact',
        network: asset.network,
        payTo,
        // An explicit AssetAmount: dollar prices have no default asset on a local chain. `extra` carries the token's
        // EIP-712 domain (x402 exact/evm requires name+version) and our settlement mode, so clients can see it.
        price: {
          amount: price.toString(),
          asset: asset.address,
          extra: { name: asset.eip712.name, version: asset.eip712.version, settlementMode },
        },
        maxTimeoutSeconds,
      });
      if (!requirements) throw new Error('x402ResourceServer built no payment requirements');
      return requirements;
    },
    async paymentRequiredHeader(requirements, resourceUrl, error) {
      const required = await server.createPaymentRequiredResponse(
        [requirements],
        { url: resourceUrl, mimeType: 'application/json' },
        error,
      );
      return encodePaymentRequiredHeader(required);
    },
    decode(header) {
      let payload: PaymentPayload;
      try {
        payload = decodePaymentSignatureHeader(header);
      } catch (error) {
        throw new NodeRequestError(
          'malformed_payment_header',
          `PAYMENT-SIGNATURE could not be decoded: ${(error as Error).message}`,
        );
      }
      if (typeof payload !== 'object' || payload === null) throw new NodeRequestError('malformed_payment_header');
      if (payload.x402Version !== 2)
        throw new NodeRequestError(
          'payment_unsupported_version',
          `x402Version ${String(payload.x402Version)} is not supported; use 2`,
        );
      const eip3009 = eip3009PayloadOf((payload.payload ?? {}) as Record<string, unknown>);
      if (!eip3009)
        throw new NodeRequestError(
          'malformed_payment_header',
          'payload is not an x402 exact/evm EIP-3009 authorization',
        );
      return { payload, eip3009 };
    },
    match(payment, offered) {
      if (!server.findMatchingRequirements([offered], payment.payload)) {
        const reason = diagnoseRequirementsMismatch(offered, payment.payload.accepted);
        throw new NodeRequestError(reason, undefined, {
          offered: { asset: offered.asset, amount: offered.amount, network: offered.network, payTo: offered.payTo },
        });
      }
      if (escrow) return checkEscrowAuthorization(payment.payload, offered, escrow);
      const signedMismatch = diagnoseAuthorizationMismatch(offered, payment.eip3009.authorization);
      if (signedMismatch) throw new NodeRequestError(signedMismatch);
      // x402's verify throws (rather than answering invalid) on a 65-byte signature whose v is not 0/1/27/28; without this
      // check a forged payment would be answered 503 facilitator_unavailable, which clients retry.
      if (!signatureParses(payment.eip3009.signature))
        throw new NodeRequestError(
          'invalid_exact_evm_signature',
          'the signature is not a valid ECDSA signature (r, s, v)',
        );
    },
    // Spans around the facilitator calls: the HTTP facilitator client carries their context to the facilitator.
    verify: (payment, offered) =>
      inSpan('x402 verify', { attributes: paymentAttributes(offered) }, async (span) => {
        let result;
        const started = performance.now();
        try {
          // x402's escrow payment flow skips verify (it authorizes before the handler); we answer before authorizing,
          // as in deferred mode, so the facilitator must verify first.
          result = escrow
            ? await options.facilitator.verify(payment.payload, signedOrOffered(payment.payload, offered))
            : await server.verifyPayment(payment.payload, offered);
        } catch (error) {
          throw new NodeRequestError('facilitator_unavailable', `verify failed: ${(error as Error).message}`);
        } finally {
          options.metrics?.observeMs('node_verify_ms', performance.now() - started);
        }
        span.setAttribute('x402.verify.valid', result.isValid);
        if (!result.isValid)
          throw new NodeRequestError(
            result.invalidReason ?? 'payment_invalid',
            result.invalidMessage ?? `payment rejected: ${result.invalidReason}`,
          );
      }),
    settle: (payload, offered) =>
      inSpan('x402 settle', { attributes: paymentAttributes(offered) }, async (span) => {
        const response = await server.settlePayment(payload, signedOrOffered(payload, offered));
        span.setAttributes({
          'x402.settle.success': response.success,
          ...(response.errorReason && { 'x402.settle.reason': response.errorReason }),
          ...(response.transaction && { 'x402.settle.transaction': response.transaction }),
        });
        return response;
      }),
    paymentResponseHeader: (settle) => encodePaymentResponseHeader(settle),
  };
}

function paymentAttributes(offered: PaymentRequirements): Record<string, string> {
  return {
    'x402.scheme': offered.scheme,
    'x402.network': offered.network,
    'x402.amount': offered.amount,
    'x402.asset': offered.asset,
  };
}
