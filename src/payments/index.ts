// Public surface of payments: errors and reasons, authorization identifiers, metrics, and the three roles.
export * from './errors';
export { authorizationKeyOf, paymentRefOf, eip3009PayloadOf, type Eip3009Payload, type Eip3009Authorization } from './authorization';
export { createMetrics, metricsRoute, type Metrics } from './metrics';
export * from './client';
export * from './server';
export * from './settlement';
export { startFacilitator, createVerifyOnlyFacilitator, VerifyOnlyFacilitatorError, verifyRpcUrlOf, type FacilitatorHandle, type VerifyOnlyFacilitator } from './facilitator';
