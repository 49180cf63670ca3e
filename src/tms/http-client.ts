// The TMS port over HTTP, against the development ERP/TMS service (src/back-office). Every mutation carries an
// Idempotency-Key, so an activity retried after a lost response gets the first answer instead of a second tender.
import { TenderListSchema, TenderSchema } from '../contracts/back-office';
import { createBackOfficeTransport, deriveIdempotencyKey, type BackOfficeTransportOptions } from '../back-office';
import { TmsConflictError, TmsNotFoundError, TmsUnavailableError, TmsValidationError } from './errors';
import type { Tms, TmsCallOptions } from './port';

export type TmsClientOptions = BackOfficeTransportOptions;

export function createTmsClient(options: TmsClientOptions): Tms {
  const http = createBackOfficeTransport('tms', options, {
    validation: (code, message, status, details) => new TmsValidationError(code, message, status, details),
    notFound: (code, message, status, details) => new TmsNotFoundError(code, message, status, details),
    conflict: (code, message, status, details) => new TmsConflictError(code, message, status, details),
    unavailable: (code, message, status, details) => new TmsUnavailableError(code, message, status, details),
  });
  const key = (operation: string, request: { decisionId: string }, given?: TmsCallOptions) => given?.idempotencyKey ?? deriveIdempotencyKey('tms', operation, request);
  const id = (value: string) => encodeURIComponent(value);

  return {
    tenderLoad: (request, o) => http.post('/tms/tenders', request, TenderSchema, key('tenderLoad', request, o)),
    confirmTender: (request, o) => {
      const { tenderId, ...body } = request;
      return http.post(`/tms/tenders/${id(tenderId)}/confirm`, body, TenderSchema, key('confirmTender', request, o));
    },
    retractTender: (request, o) => {
      const { tenderId, ...body } = request;
      return http.post(`/tms/tenders/${id(tenderId)}/retract`, body, TenderSchema, key('retractTender', request, o));
    },
    listTenders: async (q) => (await http.get(`/tms/tenders${q?.decisionId === undefined ? '' : `?decisionId=${encodeURIComponent(q.decisionId)}`}`, TenderListSchema)).tenders,
  };
}
