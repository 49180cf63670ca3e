// The ERP port over HTTP, against a service of the back-office contract (in development: src/back-office). Every mutation carries an
// Idempotency-Key, so an activity retried after a lost response gets the first answer instead of a second effect.
import {
  BudgetHoldListSchema,
  BudgetHoldSchema,
  PurchaseOrderListSchema,
  PurchaseOrderSchema,
} from '../contracts/back-office';
import {
  createBackOfficeClient,
  createBackOfficeTransport,
  getRoute,
  postRoute,
  type BackOfficeTransportOptions,
} from '../back-office-client';
import { erpErrors } from './errors';
import type { Erp } from './port';

export type ErpClientOptions = BackOfficeTransportOptions;

export function createErpClient(options: ErpClientOptions): Erp {
  return createBackOfficeClient(createBackOfficeTransport('erp', options, erpErrors), {
    holdBudget: postRoute('/erp/budget-holds', BudgetHoldSchema),
    releaseBudget: postRoute('/erp/budget-holds/:holdId/release', BudgetHoldSchema),
    listBudgetHolds: getRoute('/erp/budget-holds', BudgetHoldListSchema, 'budgetHolds'),
    reservePurchaseOrder: postRoute('/erp/purchase-orders', PurchaseOrderSchema),
    confirmPurchaseOrder: postRoute('/erp/purchase-orders/:poId/confirm', PurchaseOrderSchema),
    cancelPurchaseOrder: postRoute('/erp/purchase-orders/:poId/cancel', PurchaseOrderSchema),
    listPurchaseOrders: getRoute('/erp/purchase-orders', PurchaseOrderListSchema, 'purchaseOrders'),
  });
}
