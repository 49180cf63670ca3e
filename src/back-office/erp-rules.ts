// The ERP's rules: at most one budget hold per decision attempt and round (an amendment re-holds in a new round) and one
// purchase order per decision attempt, idempotent transitions, and the budget following the order (confirming consumes
// the attempt's held hold; cancelling a confirmed order releases it again).
import type { z } from 'zod';
import type * as contracts from '../contracts/back-office';
import type { BackOfficeEvent } from './journal-entry';
import { changed, differingFields, refuse, unchanged, type Outcome } from './outcome';
import { effectId, type BackOfficeState } from './state';

/** A request as the route hands it over: parsed by its contract schema, defaults applied. */
type Parsed<S extends z.ZodType> = z.output<S>;

export function holdBudget(
  state: BackOfficeState,
  request: Parsed<typeof contracts.HoldBudgetRequestSchema>,
  at: string,
): Outcome {
  const holdId = effectId('hold', request.decisionId, request.attempt, request.round);
  const existing = state.holds.get(holdId);
  if (existing) {
    const differs = differingFields(existing, { ...existing, ...request }, ['amount', 'currency']);
    if (differs.length > 0)
      return refuse(
        'idempotency_conflict',
        `decision ${request.decisionId} already holds budget ${holdId} with other terms`,
        { holdId, fields: differs },
      );
    return unchanged(existing);
  }
  const hold = {
    holdId,
    ...request,
    status: 'held' as const,
    history: [{ status: 'held' as const, at }],
    createdAt: at,
  };
  return changed(201, [{ type: 'budget_hold.created', hold }], (s) => s.holds.get(holdId));
}

export function releaseBudget(
  state: BackOfficeState,
  request: Parsed<typeof contracts.ReleaseBudgetRequestSchema>,
): Outcome {
  const hold = state.holds.get(request.holdId);
  if (!hold) return refuse('budget_hold_not_found', `no budget hold ${request.holdId}`);
  if (hold.decisionId !== request.decisionId)
    return refuse('decision_mismatch', `budget hold ${hold.holdId} belongs to another decision`);
  if (hold.status === 'released') return unchanged(hold);
  if (hold.status === 'consumed') {
    return refuse(
      'invalid_transition',
      `budget hold ${hold.holdId} was consumed by purchase order ${hold.poId}; cancel the order to release it`,
      { status: hold.status, poId: hold.poId },
    );
  }
  return changed(200, [{ type: 'budget_hold.released', holdId: hold.holdId, reason: request.reason }], (s) =>
    s.holds.get(hold.holdId),
  );
}

const PO_TERMS = ['supplierId', 'itemSku', 'quantity', 'unitPrice', 'currency', 'neededBy'] as const;

export function reservePurchaseOrder(
  state: BackOfficeState,
  request: Parsed<typeof contracts.ReservePurchaseOrderRequestSchema>,
  at: string,
): Outcome {
  const poId = effectId('po', request.decisionId, request.attempt);
  const existing = state.purchaseOrders.get(poId);
  if (existing) {
    const differs = differingFields(existing, { ...existing, ...request }, [...PO_TERMS]);
    if (differs.length > 0)
      return refuse(
        'idempotency_conflict',
        `decision ${request.decisionId} already reserved purchase order ${poId} with other terms`,
        { poId, fields: differs },
      );
    return unchanged(existing);
  }
  const purchaseOrder = {
    poId,
    ...request,
    status: 'reserved' as const,
    history: [{ status: 'reserved' as const, at }],
    createdAt: at,
  };
  return changed(201, [{ type: 'purchase_order.reserved', purchaseOrder }], (s) => s.purchaseOrders.get(poId));
}

export function confirmPurchaseOrder(
  state: BackOfficeState,
  request: Parsed<typeof contracts.ConfirmPurchaseOrderRequestSchema>,
): Outcome {
  const po = state.purchaseOrders.get(request.poId);
  if (!po) return refuse('purchase_order_not_found', `no purchase order ${request.poId}`);
  if (po.decisionId !== request.decisionId)
    return refuse('decision_mismatch', `purchase order ${po.poId} belongs to another decision`);
  if (po.status === 'confirmed') return unchanged(po);
  if (po.status === 'cancelled')
    return refuse('invalid_transition', `purchase order ${po.poId} is cancelled and cannot be confirmed`, {
      status: po.status,
    });
  const events: BackOfficeEvent[] = [{ type: 'purchase_order.confirmed', poId: po.poId }];
  // Routing-style decisions have no hold; a hold already released (rolled back) stays released.
  // The hold still held for this attempt: round 0's, or the one re-held after an amendment (the earlier one was released).
  const hold = [...state.holds.values()].find(
    (h) => h.decisionId === po.decisionId && h.attempt === po.attempt && h.status === 'held',
  );
  if (hold) events.push({ type: 'budget_hold.consumed', holdId: hold.holdId, poId: po.poId });
  return changed(200, events, (s) => s.purchaseOrders.get(po.poId));
}

export function cancelPurchaseOrder(
  state: BackOfficeState,
  request: Parsed<typeof contracts.CancelPurchaseOrderRequestSchema>,
): Outcome {
  const po = state.purchaseOrders.get(request.poId);
  if (!po) return refuse('purchase_order_not_found', `no purchase order ${request.poId}`);
  if (po.decisionId !== request.decisionId)
    return refuse('decision_mismatch', `purchase order ${po.poId} belongs to another decision`);
  if (po.status === 'cancelled') return unchanged(po);
  // Cancelling a confirmed order is allowed: verification can fail after confirmation and the saga must still undo it.
  const events: BackOfficeEvent[] = [{ type: 'purchase_order.cancelled', poId: po.poId, reason: request.reason }];
  const consumed = [...state.holds.values()].find((h) => h.status === 'consumed' && h.poId === po.poId);
  if (consumed)
    events.push({
      type: 'budget_hold.released',
      holdId: consumed.holdId,
      reason: `purchase order ${po.poId} cancelled: ${request.reason}`,
    });
  return changed(200, events, (s) => s.purchaseOrders.get(po.poId));
}
