// Public surface of the development ERP/TMS service (the clients' shared transport is src/back-office-client).
export { startBackOffice, journalFileOf, type BackOfficeService, type StartBackOfficeOptions } from './start';
export { createBackOfficeApp } from './http-app';
export { openBackOfficeStore, type BackOfficeStore } from './store';
export { JournalCorruptError } from './journal';
export { JournalEntrySchema, BackOfficeEventSchema, type JournalEntry, type BackOfficeEvent } from './journal-entry';
