// Public surface of the TMS adapter: the port, its HTTP client and the named errors activities retry on.
export type {
  Tms,
  TmsCallOptions,
  Tender,
  TenderLoadRequest,
  ConfirmTenderRequest,
  RetractTenderRequest,
} from './port';
export { createTmsClient, type TmsClientOptions } from './http-client';
export { TmsError, TmsConflictError, TmsValidationError, TmsNotFoundError, TmsUnavailableError } from './errors';
export { backOfficeUrl } from '../back-office-client';
