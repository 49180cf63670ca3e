// Public surface of the facilitator role.
export { startFacilitator, type FacilitatorHandle } from './start';
export { createEvmFacilitator, createVerifyOnlyFacilitator, VerifyOnlyFacilitatorError, type EvmFacilitator, type VerifyOnlyFacilitator } from './evm-facilitator';
export { createSettlementJobs, type SettlementJobs } from './settlement-jobs';
export { createVerifyReadClient, verifyRpcUrlOf, type VerifyReadClient } from './verify-read-client';
