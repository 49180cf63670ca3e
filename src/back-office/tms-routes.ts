// The TMS half of the service: load tenders under /tms.
import { Router } from 'express';
import {
  ConfirmTenderRequestSchema,
  RetractTenderRequestSchema,
  TenderLoadRequestSchema,
} from '../contracts/back-office';
import { byDecision, listing, mutation } from './http-handlers';
import type { BackOfficeStore } from './store';
import { confirmTender, retractTender, tenderLoad } from './tms-rules';

export function tmsRouter(store: BackOfficeStore): Router {
  const router = Router();
  router.post('/tenders', mutation(store, TenderLoadRequestSchema, tenderLoad));
  router.post('/tenders/:id/confirm', mutation(store, ConfirmTenderRequestSchema, confirmTender, 'tenderId'));
  router.post('/tenders/:id/retract', mutation(store, RetractTenderRequestSchema, retractTender, 'tenderId'));
  router.get(
    '/tenders',
    listing(store, (state, query) => ({ tenders: byDecision(state.tenders, query) })),
  );
  return router;
}
