// Named TMS client errors (see src/back-office/client-errors.ts for what each means and how retries treat it).
import { backOfficeErrorFamily } from '../back-office/client-errors';

const family = backOfficeErrorFamily('Tms');

export const TmsError = family.Base;
export const TmsConflictError = family.Conflict;
export const TmsValidationError = family.Validation;
export const TmsNotFoundError = family.NotFound;
export const TmsUnavailableError = family.Unavailable;
export type TmsError = InstanceType<typeof TmsError>;
export type TmsConflictError = InstanceType<typeof TmsConflictError>;
export type TmsValidationError = InstanceType<typeof TmsValidationError>;
export type TmsNotFoundError = InstanceType<typeof TmsNotFoundError>;
export type TmsUnavailableError = InstanceType<typeof TmsUnavailableError>;

export const TMS_NON_RETRYABLE_ERRORS = family.nonRetryable;
