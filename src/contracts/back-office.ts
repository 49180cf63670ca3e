// HTTP messages of the development ERP/TMS service (src/back-office): budget holds, purchase orders, tenders, errors.
import { z } from 'zod';
import { IsoDateSchema } from './logistics';

const id = () => z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const amount = () => z.number().min(0, 'must be at least 0').refine(Number.isFinite, 'must be a finite number');
const currency = () => z.string().regex(/^[A-Z]{3,5}$/, 'must be an upper-case currency code such as USD or USDC');
const reason = () => z.string().min(1, 'must give a reason').max(2000);
const timestamp = () => z.iso.datetime();
/**
 * A decision that is re-decided after a failed verification keeps its id (continue-as-new keeps the workflow id) but
 * acts again; the attempt scopes "at most one effect per decision", so attempt 2 gets a new PO instead of the
 * cancelled one of attempt 1, while a late retry of attempt 1 still finds its own.
 */
const attempt = () => z.number().int('must be a whole number').positive('must be at least 1').default(1);

// ---- ERP ----------------------------------------------------------------------------------------------------------

export const BudgetHoldStatusSchema = z.enum(['held', 'released', 'consumed']);
export const PurchaseOrderStatusSchema = z.enum(['reserved', 'confirmed', 'cancelled']);

/** `round` > 0: a re-hold after an amendment changed the order value (the earlier round's hold was released first). */
const round = () => z.number().int('must be a whole number').min(0, 'must be 0 or more').optional();

export const HoldBudgetRequestSchema = z
  .object({ decisionId: id(), attempt: attempt(), round: round(), amount: amount(), currency: currency() })
  .strict();
export const ReleaseBudgetRequestSchema = z.object({ decisionId: id(), holdId: id(), reason: reason() }).strict();

export const BudgetHoldSchema = z.object({
  holdId: z.string(),
  decisionId: z.string(),
  attempt: z.number().int().positive(),
  round: z.number().int().nonnegative().optional(),
  amount: z.number(),
  currency: z.string(),
  status: BudgetHoldStatusSchema,
  /** The purchase order whose confirmation consumed this hold. */
  poId: z.string().optional(),
  history: z.array(z.object({ status: BudgetHoldStatusSchema, at: timestamp(), reason: z.string().optional() })),
  createdAt: timestamp(),
});

export const ReservePurchaseOrderRequestSchema = z
  .object({
    decisionId: id(),
    attempt: attempt(),
    supplierId: id(),
    itemSku: id(),
    quantity: z.number().positive('must be greater than 0').refine(Number.isFinite, 'must be a finite number'),
    unitPrice: amount(),
    currency: currency(),
    neededBy: IsoDateSchema,
  })
  .strict();
export const ConfirmPurchaseOrderRequestSchema = z.object({ decisionId: id(), poId: id() }).strict();
export const CancelPurchaseOrderRequestSchema = z.object({ decisionId: id(), poId: id(), reason: reason() }).strict();

export const PurchaseOrderSchema = z.object({
  poId: z.string(),
  decisionId: z.string(),
  attempt: z.number().int().positive(),
  supplierId: z.string(),
  itemSku: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  currency: z.string(),
  neededBy: z.string(),
  status: PurchaseOrderStatusSchema,
  history: z.array(z.object({ status: PurchaseOrderStatusSchema, at: timestamp(), reason: z.string().optional() })),
  createdAt: timestamp(),
});

export const ListByDecisionQuerySchema = z.object({ decisionId: id().optional() });
export const PurchaseOrderListSchema = z.object({ purchaseOrders: z.array(PurchaseOrderSchema) });
export const BudgetHoldListSchema = z.object({ budgetHolds: z.array(BudgetHoldSchema) });

// ---- TMS ----------------------------------------------------------------------------------------------------------

export const TenderStatusSchema = z.enum(['tendered', 'accepted', 'retracted']);

export const TenderLoadRequestSchema = z
  .object({
    decisionId: id(),
    attempt: attempt(),
    shipmentId: id(),
    routeId: id(),
    carrierId: id(),
    cost: amount(),
    currency: currency(),
  })
  .strict();
export const ConfirmTenderRequestSchema = z.object({ decisionId: id(), tenderId: id() }).strict();
export const RetractTenderRequestSchema = z.object({ decisionId: id(), tenderId: id(), reason: reason() }).strict();

export const TenderSchema = z.object({
  tenderId: z.string(),
  decisionId: z.string(),
  attempt: z.number().int().positive(),
  shipmentId: z.string(),
  routeId: z.string(),
  carrierId: z.string(),
  cost: z.number(),
  currency: z.string(),
  status: TenderStatusSchema,
  history: z.array(z.object({ status: TenderStatusSchema, at: timestamp(), reason: z.string().optional() })),
  createdAt: timestamp(),
});
export const TenderListSchema = z.object({ tenders: z.array(TenderSchema) });

// ---- errors -------------------------------------------------------------------------------------------------------

/** Every reason the service answers with; the status is fixed per code (see src/erp/README-section.md). */
export const BACK_OFFICE_ERRORS = {
  malformed_json: 400,
  invalid_request: 400,
  payload_too_large: 413,
  route_not_found: 404,
  budget_hold_not_found: 404,
  purchase_order_not_found: 404,
  tender_not_found: 404,
  /** The decision (attempt) already has this kind of effect with materially different terms. */
  idempotency_conflict: 409,
  /** The Idempotency-Key was first used for a different request. */
  idempotency_key_reused: 409,
  /** The id belongs to another decision. */
  decision_mismatch: 409,
  invalid_transition: 409,
  store_unavailable: 503,
  internal_error: 500,
} as const;
export type BackOfficeErrorCode = keyof typeof BACK_OFFICE_ERRORS;

export const BackOfficeErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.unknown().optional(),
  }),
});

export type BudgetHoldStatus = z.infer<typeof BudgetHoldStatusSchema>;
export type PurchaseOrderStatus = z.infer<typeof PurchaseOrderStatusSchema>;
export type TenderStatus = z.infer<typeof TenderStatusSchema>;
/** Request types as callers write them (`attempt` optional, defaults to 1). */
export type HoldBudgetRequest = z.input<typeof HoldBudgetRequestSchema>;
export type ReleaseBudgetRequest = z.input<typeof ReleaseBudgetRequestSchema>;
export type ReservePurchaseOrderRequest = z.input<typeof ReservePurchaseOrderRequestSchema>;
export type ConfirmPurchaseOrderRequest = z.input<typeof ConfirmPurchaseOrderRequestSchema>;
export type CancelPurchaseOrderRequest = z.input<typeof CancelPurchaseOrderRequestSchema>;
export type TenderLoadRequest = z.input<typeof TenderLoadRequestSchema>;
export type ConfirmTenderRequest = z.input<typeof ConfirmTenderRequestSchema>;
export type RetractTenderRequest = z.input<typeof RetractTenderRequestSchema>;
export type ListByDecisionQuery = z.infer<typeof ListByDecisionQuerySchema>;
export type BudgetHold = z.infer<typeof BudgetHoldSchema>;
export type PurchaseOrder = z.infer<typeof PurchaseOrderSchema>;
export type Tender = z.infer<typeof TenderSchema>;
export type BackOfficeErrorBody = z.infer<typeof BackOfficeErrorBodySchema>;
