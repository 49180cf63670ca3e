// The TMS port over HTTP, against a service of the back-office contract (in development: src/back-office). Every mutation carries an
// Idempotency-Key, so an activity retried after a lost response gets the first answer instead of a second tender.
import { TenderListSchema, TenderSchema } from '../contracts/back-office';
import {
  createBackOfficeClient,
  createBackOfficeTransport,
  getRoute,
  postRoute,
  type BackOfficeTransportOptions,
} from '../back-office-client';
import { tmsErrors } from './errors';
import type { Tms } from './port';

export type TmsClientOptions = BackOfficeTransportOptions;

export function createTmsClient(options: TmsClientOptions): Tms {
  return createBackOfficeClient(createBackOfficeTransport('tms', options, tmsErrors), {
    tenderLoad: postRoute('/tms/tenders', TenderSchema),
    confirmTender: postRoute('/tms/tenders/:tenderId/confirm', TenderSchema),
    retractTender: postRoute('/tms/tenders/:tenderId/retract', TenderSchema),
    listTenders: getRoute('/tms/tenders', TenderListSchema, 'tenders'),
  });
}
