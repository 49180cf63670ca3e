// Builds PAYMENT-SIGNATURE headers by hand (with @x402/evm doing the signing), so tests can present payments that a
// well-behaved client would never send: wrong amount, asset or chain, expired, tampered, or replayed.
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from '@x402/core/http';
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { privateKeyToAccount } from 'viem/accounts';
import { derivePaymentNonce, IdempotentExactEvmScheme } from '../../../../src/payments';

export async function fetchRequirements(url: string, body: unknown): Promise<PaymentRequired> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 402) throw new Error(`expected 402, got ${response.status}`);
  return decodePaymentRequiredHeader(response.headers.get('PAYMENT-REQUIRED') as string);
}

export async function craftPayment(options: {
  required: PaymentRequired;
  payerKey: `0x${string}`;
  idempotencyKey: string;
  issuedAt?: number;
  /** Requirements to sign against (default: what the node offered). */
  sign?: (offered: PaymentRequirements) => PaymentRequirements;
  /** Requirements to claim in `accepted` (default: the signed ones). */
  claim?: (offered: PaymentRequirements) => PaymentRequirements;
  tamper?: (payload: PaymentPayload) => PaymentPayload;
}): Promise<PaymentPayload> {
  const offered = options.required.accepts[0] as PaymentRequirements;
  const signed = options.sign ? options.sign(offered) : offered;
  const account = privateKeyToAccount(options.payerKey);
  const scheme = new IdempotentExactEvmScheme(account, {
    nonce: derivePaymentNonce(account.address, options.idempotencyKey),
    issuedAtSeconds: Math.floor((options.issuedAt ?? Date.now()) / 1000),
  });
  const { payload } = await scheme.createPaymentPayload(2, signed);
  const claimed = options.claim ? options.claim(offered) : signed;
  const paymentPayload: PaymentPayload = {
    x402Version: 2,
    resource: options.required.resource,
    accepted: claimed,
    payload,
  };
  return options.tamper ? options.tamper(paymentPayload) : paymentPayload;
}

export async function presentPayment(
  url: string,
  body: unknown,
  header: string,
): Promise<{ status: number; body: Record<string, unknown>; paymentRequired?: PaymentRequired }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'PAYMENT-SIGNATURE': header },
    body: JSON.stringify(body),
  });
  const required = response.headers.get('PAYMENT-REQUIRED');
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    paymentRequired: required ? decodePaymentRequiredHeader(required) : undefined,
  };
}

export const encode = encodePaymentSignatureHeader;
