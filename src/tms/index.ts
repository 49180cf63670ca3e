// Public surface of the TMS adapter: the port, its HTTP client and the named errors activities retry on.
// The port and the request/record types it speaks (every export of port.ts is a type).
export type * from './port';
export { createTmsClient, type TmsClientOptions } from './http-client';
export { TmsError, TmsConflictError, TmsValidationError, TmsNotFoundError, TmsUnavailableError } from './errors';
export { backOfficeUrl } from '../back-office-client';
