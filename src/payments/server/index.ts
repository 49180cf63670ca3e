// Public surface of the resource-server role (the node's side of x402).
export { createPaymentGate, type PaymentGate, type DecodedPayment } from './payment-gate';
export { diagnoseRequirementsMismatch, diagnoseAuthorizationMismatch } from './mismatch';
export { verifyingPaymentsInProcess } from './in-process-payment-verification';
export { createHttpFacilitatorClient } from './facilitator-client';
