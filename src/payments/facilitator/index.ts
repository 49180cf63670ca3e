// Public surface of the facilitator role.
export { startFacilitator, type FacilitatorHandle } from './start';
export {
  createEvmFacilitator,
  createPaymentVerifyOnlyFacilitator,
  VerifyOnlyFacilitatorError,
  type EvmFacilitator,
  type PaymentVerifyOnlyFacilitator,
} from './evm-facilitator';
export { createSettlementJobs, type SettlementJobs } from './settlement-jobs';
export {
  createPaymentVerificationReadClient,
  paymentVerificationRpcUrlOf,
  type PaymentVerificationReadClient,
} from './payment-verification-read-client';
