// Public surface of the ERP adapter: the port, its HTTP client and the named errors activities retry on.
export type {
  Erp,
  ErpCallOptions,
  BudgetHold,
  PurchaseOrder,
  HoldBudgetRequest,
  ReleaseBudgetRequest,
  ReservePurchaseOrderRequest,
  ConfirmPurchaseOrderRequest,
  CancelPurchaseOrderRequest,
} from './port';
export { createErpClient, type ErpClientOptions } from './http-client';
export { ErpError, ErpConflictError, ErpValidationError, ErpNotFoundError, ErpUnavailableError } from './errors';
export { backOfficeUrl } from '../back-office-client';
