// Public surface of the ERP adapter: the port, its HTTP client and the named errors activities retry on.
// The port and the request/record types it speaks (every export of port.ts is a type).
export type * from './port';
export { createErpClient, type ErpClientOptions } from './http-client';
export { ErpError, ErpConflictError, ErpValidationError, ErpNotFoundError, ErpUnavailableError } from './errors';
export { backOfficeUrl } from '../back-office-client';
