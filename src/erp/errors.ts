// Named ERP client errors (see src/back-office/client-errors.ts for what each means and how retries treat it).
import { backOfficeErrorFamily } from '../back-office/client-errors';

const family = backOfficeErrorFamily('Erp');

export const ErpError = family.Base;
export const ErpConflictError = family.Conflict;
export const ErpValidationError = family.Validation;
export const ErpNotFoundError = family.NotFound;
export const ErpUnavailableError = family.Unavailable;
export type ErpError = InstanceType<typeof ErpError>;
export type ErpConflictError = InstanceType<typeof ErpConflictError>;
export type ErpValidationError = InstanceType<typeof ErpValidationError>;
export type ErpNotFoundError = InstanceType<typeof ErpNotFoundError>;
export type ErpUnavailableError = InstanceType<typeof ErpUnavailableError>;

export const ERP_NON_RETRYABLE_ERRORS = family.nonRetryable;
