// Public surface of the development ERP/TMS service and of what its clients (src/erp, src/tms) share: transport, routes, errors.
export { startBackOffice, journalFileOf, type BackOfficeService, type StartBackOfficeOptions } from './start';
export { createBackOfficeApp } from './http-app';
export { openBackOfficeStore, type BackOfficeStore } from './store';
export { JournalCorruptError } from './journal';
export { JournalEntrySchema, BackOfficeEventSchema, type JournalEntry, type BackOfficeEvent } from './journal-entry';
export { createBackOfficeTransport, backOfficeUrl, type BackOfficeTransport, type BackOfficeTransportOptions, type ClientErrorClasses } from './client-transport';
export { createBackOfficeClient, postRoute, getRoute, deriveIdempotencyKey, type ClientRoute } from './client-routes';
export { backOfficeErrorFamily, type ClientErrorClass } from './client-errors';
