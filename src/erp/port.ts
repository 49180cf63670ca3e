// The ERP as the engine sees it: budget holds and purchase orders, idempotent per decision. The HTTP client in this
// folder implements it against the development service; test doubles and a real ERP adapter implement it too.
import type {
  BudgetHold,
  CancelPurchaseOrderRequest,
  ConfirmPurchaseOrderRequest,
  HoldBudgetRequest,
  PurchaseOrder,
  ReleaseBudgetRequest,
  ReservePurchaseOrderRequest,
} from '../contracts/back-office';

export type {
  BudgetHold,
  PurchaseOrder,
  HoldBudgetRequest,
  ReleaseBudgetRequest,
  ReservePurchaseOrderRequest,
  ConfirmPurchaseOrderRequest,
  CancelPurchaseOrderRequest,
};

/** `idempotencyKey` overrides the key the client derives from the operation and the request. */
export type ErpCallOptions = { idempotencyKey?: string };

export type Erp = {
  /** At most one hold per decision attempt: repeating returns it; other terms throw ErpConflictError(idempotency_conflict). */
  holdBudget(request: HoldBudgetRequest, options?: ErpCallOptions): Promise<BudgetHold>;
  /** Idempotent; a hold consumed by a confirmed order throws ErpConflictError(invalid_transition). */
  releaseBudget(request: ReleaseBudgetRequest, options?: ErpCallOptions): Promise<BudgetHold>;
  /** At most one order per decision attempt: repeating returns it; other terms throw ErpConflictError(idempotency_conflict). */
  reservePurchaseOrder(request: ReservePurchaseOrderRequest, options?: ErpCallOptions): Promise<PurchaseOrder>;
  /** Idempotent; consumes the decision's budget hold; a cancelled order throws ErpConflictError(invalid_transition). */
  confirmPurchaseOrder(request: ConfirmPurchaseOrderRequest, options?: ErpCallOptions): Promise<PurchaseOrder>;
  /** Idempotent, allowed after confirmation (late compensation; releases the consumed hold). */
  cancelPurchaseOrder(request: CancelPurchaseOrderRequest, options?: ErpCallOptions): Promise<PurchaseOrder>;
  listPurchaseOrders(query?: { decisionId?: string }): Promise<PurchaseOrder[]>;
  listBudgetHolds(query?: { decisionId?: string }): Promise<BudgetHold[]>;
};
