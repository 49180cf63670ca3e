// Public surface of what the engine's ERP and TMS adapters (src/erp, src/tms) share to talk to a back-office HTTP
// service of the contract in src/contracts/back-office.ts: JSON transport, route tables, idempotency keys, named errors.
export {
  createBackOfficeTransport,
  backOfficeUrl,
  type BackOfficeTransport,
  type BackOfficeTransportOptions,
  type ClientErrorClasses,
} from './transport';
export { createBackOfficeClient, postRoute, getRoute, deriveIdempotencyKey, type ClientRoute } from './routes';
export { backOfficeErrorFamily, type ClientErrorClass } from './errors';
