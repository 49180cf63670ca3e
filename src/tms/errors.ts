// Named TMS client errors (see src/back-office-client/errors.ts for what each means and how retries treat it).
import { backOfficeErrorFamily } from '../back-office-client';

/** The whole family: the HTTP client hands it to the transport, which picks the class by status. */
export const tmsErrors = backOfficeErrorFamily('Tms');
export const {
  Base: TmsError,
  Conflict: TmsConflictError,
  Validation: TmsValidationError,
  NotFound: TmsNotFoundError,
  Unavailable: TmsUnavailableError,
} = tmsErrors;
export type TmsError = InstanceType<typeof TmsError>;
export type TmsConflictError = InstanceType<typeof TmsConflictError>;
export type TmsValidationError = InstanceType<typeof TmsValidationError>;
export type TmsNotFoundError = InstanceType<typeof TmsNotFoundError>;
export type TmsUnavailableError = InstanceType<typeof TmsUnavailableError>;
