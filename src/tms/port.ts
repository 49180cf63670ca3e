// The TMS as the engine sees it: load tenders to carriers, idempotent per decision. The HTTP client in this folder
// implements it against the development service; test doubles and a real TMS adapter implement it too.
import type { ConfirmTenderRequest, RetractTenderRequest, Tender, TenderLoadRequest } from '../contracts/back-office';

export type { Tender, TenderLoadRequest, ConfirmTenderRequest, RetractTenderRequest };

/** `idempotencyKey` overrides the key the client derives from the operation and the request. */
export type TmsCallOptions = { idempotencyKey?: string };

export type Tms = {
  /** At most one tender per decision attempt: repeating returns it; other terms throw TmsConflictError(idempotency_conflict). */
  tenderLoad(request: TenderLoadRequest, options?: TmsCallOptions): Promise<Tender>;
  /** The carrier accepted. Idempotent; a retracted tender throws TmsConflictError(invalid_transition). */
  confirmTender(request: ConfirmTenderRequest, options?: TmsCallOptions): Promise<Tender>;
  /** Idempotent, allowed after acceptance (late compensation). */
  retractTender(request: RetractTenderRequest, options?: TmsCallOptions): Promise<Tender>;
  listTenders(query?: { decisionId?: string }): Promise<Tender[]>;
};
