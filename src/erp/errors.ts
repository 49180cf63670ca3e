// Named ERP client errors (see src/back-office-client/errors.ts for what each means and how retries treat it).
import { backOfficeErrorFamily } from '../back-office-client';

/** The whole family: the HTTP client hands it to the transport, which picks the class by status. */
export const erpErrors = backOfficeErrorFamily('Erp');
export const {
  Base: ErpError,
  Conflict: ErpConflictError,
  Validation: ErpValidationError,
  NotFound: ErpNotFoundError,
  Unavailable: ErpUnavailableError,
} = erpErrors;
export type ErpError = InstanceType<typeof ErpError>;
export type ErpConflictError = InstanceType<typeof ErpConflictError>;
export type ErpValidationError = InstanceType<typeof ErpValidationError>;
export type ErpNotFoundError = InstanceType<typeof ErpNotFoundError>;
export type ErpUnavailableError = InstanceType<typeof ErpUnavailableError>;
