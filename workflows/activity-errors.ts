// Activity error types that retrying cannot fix (stable class names; Temporal matches retry policies on them).
// Errors that carry `retryable: false` are also turned into non-retryable failures by the activities themselves.
export const NON_RETRYABLE = [
  'InvalidActivityInput', 'FeatureValidationError', 'SpendControlError', 'PaymentRejectedError', 'ReceiptMismatchError', 'ModelNotFoundError',
  // ERP_NON_RETRYABLE_ERRORS and TMS_NON_RETRYABLE_ERRORS (src/erp, src/tms); a unit test keeps the lists in step.
  'ErpConflictError', 'ErpValidationError', 'ErpNotFoundError', 'TmsConflictError', 'TmsValidationError', 'TmsNotFoundError',
];
