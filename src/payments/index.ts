// Public surface of payments: errors and reasons, authorization identifiers, and the three roles (metrics live in src/observability).
export * from './errors';
export {
  authorizationKeyOf,
  paymentRefOf,
  eip3009PayloadOf,
  type Eip3009Payload,
  type Eip3009Authorization,
} from './authorization';
export * from './client';
export { IdempotentAuthCaptureEvmScheme } from './client/idempotent-auth-capture';
export * from './server';
export * from './settlement';
export * from './channel';
export {
  startFacilitator,
  createPaymentVerifyOnlyFacilitator,
  VerifyOnlyFacilitatorError,
  paymentVerificationRpcUrlOf,
  type FacilitatorHandle,
  type PaymentVerifyOnlyFacilitator,
} from './facilitator';
