// The ERP half of the service: budget holds and purchase orders under /erp.
import { Router } from 'express';
import {
  CancelPurchaseOrderRequestSchema,
  ConfirmPurchaseOrderRequestSchema,
  HoldBudgetRequestSchema,
  ReleaseBudgetRequestSchema,
  ReservePurchaseOrderRequestSchema,
} from '../contracts/back-office';
import {
  cancelPurchaseOrder,
  confirmPurchaseOrder,
  holdBudget,
  releaseBudget,
  reservePurchaseOrder,
} from './erp-rules';
import { byDecision, listing, mutation } from './http-handlers';
import type { BackOfficeStore } from './store';

export function erpRouter(store: BackOfficeStore): Router {
  const router = Router();
  router.post('/budget-holds', mutation(store, HoldBudgetRequestSchema, holdBudget));
  router.post('/budget-holds/:id/release', mutation(store, ReleaseBudgetRequestSchema, releaseBudget, 'holdId'));
  router.get(
    '/budget-holds',
    listing(store, (state, query) => ({ budgetHolds: byDecision(state.holds, query) })),
  );
  router.post('/purchase-orders', mutation(store, ReservePurchaseOrderRequestSchema, reservePurchaseOrder));
  router.post(
    '/purchase-orders/:id/confirm',
    mutation(store, ConfirmPurchaseOrderRequestSchema, confirmPurchaseOrder, 'poId'),
  );
  router.post(
    '/purchase-orders/:id/cancel',
    mutation(store, CancelPurchaseOrderRequestSchema, cancelPurchaseOrder, 'poId'),
  );
  router.get(
    '/purchase-orders',
    listing(store, (state, query) => ({ purchaseOrders: byDecision(state.purchaseOrders, query) })),
  );
  return router;
}
