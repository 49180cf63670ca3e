// Public surface of the development ERP/TMS service and of the transport its clients (src/erp, src/tms) share.
export { startBackOffice, journalFileOf, type BackOfficeService, type StartBackOfficeOptions } from './start';
export { createBackOfficeApp } from './http-app';
export { openBackOfficeStore, type BackOfficeStore } from './store';
export { JournalCorruptError } from './journal';
export { JournalEntrySchema, BackOfficeEventSchema, type JournalEntry, type BackOfficeEvent } from './journal-entry';
export {
  createBackOfficeTransport,
  deriveIdempotencyKey,
  backOfficeUrl,
  type BackOfficeTransport,
  type BackOfficeTransportOptions,
  type ClientErrorFactories,
} from './client-transport';
