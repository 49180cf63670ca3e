// The ERP port over HTTP, against the development ERP/TMS service (src/back-office). Every mutation carries an
// Idempotency-Key, so an activity retried after a lost response gets the first answer instead of a second effect.
import {
  BudgetHoldListSchema,
  BudgetHoldSchema,
  PurchaseOrderListSchema,
  PurchaseOrderSchema,
} from '../contracts/back-office';
import { createBackOfficeTransport, deriveIdempotencyKey, type BackOfficeTransportOptions } from '../back-office';
import { ErpConflictError, ErpNotFoundError, ErpUnavailableError, ErpValidationError } from './errors';
import type { Erp, ErpCallOptions } from './port';

export type ErpClientOptions = BackOfficeTransportOptions;

export function createErpClient(options: ErpClientOptions): Erp {
  const http = createBackOfficeTransport('erp', options, {
    validation: (code, message, status, details) => new ErpValidationError(code, message, status, details),
    notFound: (code, message, status, details) => new ErpNotFoundError(code, message, status, details),
    conflict: (code, message, status, details) => new ErpConflictError(code, message, status, details),
    unavailable: (code, message, status, details) => new ErpUnavailableError(code, message, status, details),
  });
  const key = (operation: string, request: { decisionId: string }, given?: ErpCallOptions) => given?.idempotencyKey ?? deriveIdempotencyKey('erp', operation, request);
  const id = (value: string) => encodeURIComponent(value);
  const query = (q?: { decisionId?: string }) => (q?.decisionId === undefined ? '' : `?decisionId=${encodeURIComponent(q.decisionId)}`);

  return {
    holdBudget: (request, o) => http.post('/erp/budget-holds', request, BudgetHoldSchema, key('holdBudget', request, o)),
    releaseBudget: (request, o) => {
      const { holdId, ...body } = request;
      return http.post(`/erp/budget-holds/${id(holdId)}/release`, body, BudgetHoldSchema, key('releaseBudget', request, o));
    },
    reservePurchaseOrder: (request, o) => http.post('/erp/purchase-orders', request, PurchaseOrderSchema, key('reservePurchaseOrder', request, o)),
    confirmPurchaseOrder: (request, o) => {
      const { poId, ...body } = request;
      return http.post(`/erp/purchase-orders/${id(poId)}/confirm`, body, PurchaseOrderSchema, key('confirmPurchaseOrder', request, o));
    },
    cancelPurchaseOrder: (request, o) => {
      const { poId, ...body } = request;
      return http.post(`/erp/purchase-orders/${id(poId)}/cancel`, body, PurchaseOrderSchema, key('cancelPurchaseOrder', request, o));
    },
    listPurchaseOrders: async (q) => (await http.get(`/erp/purchase-orders${query(q)}`, PurchaseOrderListSchema)).purchaseOrders,
    listBudgetHolds: async (q) => (await http.get(`/erp/budget-holds${query(q)}`, BudgetHoldListSchema)).budgetHolds,
  };
}
