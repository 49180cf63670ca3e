// Public surface of the paying client role.
export { createPayingClient, type PayingClient, type PayAndInferParams, type PayAndInferResult } from './pay-and-infer';
export { createPayingClientFromConfig } from './from-config';
export {
  derivePaymentNonce,
  deriveValidityWindow,
  toUnixSeconds,
  PAYMENT_NONCE_DOMAIN,
  VALID_AFTER_SKEW_SECONDS,
} from './nonce';
export { createSpendLedger, type SpendLedger, type SpendPolicy, type SpendRequest } from './spend-controls';
export { IdempotentExactEvmScheme, type PinnedAuthorization } from './idempotent-scheme';
