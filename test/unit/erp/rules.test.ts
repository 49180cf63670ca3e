// The ERP/TMS state machine without disk or HTTP: rules decide, applyEntry changes state, as the store does.
import {
  HoldBudgetRequestSchema,
  ReservePurchaseOrderRequestSchema,
  TenderLoadRequestSchema,
} from '../../../src/contracts/back-office';
import {
  cancelPurchaseOrder,
  confirmPurchaseOrder,
  holdBudget,
  releaseBudget,
  reservePurchaseOrder,
} from '../../../src/back-office/erp-rules';
import type { Outcome } from '../../../src/back-office/outcome';
import { applyEntry, emptyState, type BackOfficeState } from '../../../src/back-office/state';
import { confirmTender, retractTender, tenderLoad } from '../../../src/back-office/tms-rules';
import { buildHold, buildReserve, buildTender } from './builders';

const AT = '2025-02-01T10:00:00.000Z';

/** Applies an accepted outcome like the store does and returns the status, body and number of events. */
function commit(
  state: BackOfficeState,
  outcome: Outcome,
): { status: number; body: Record<string, unknown>; events: number } {
  if (!outcome.ok) return { status: outcome.status, body: { error: outcome.error }, events: 0 };
  if (outcome.events.length > 0) applyEntry(state, { seq: state.lastSeq + 1, at: AT, events: outcome.events });
  return {
    status: outcome.status,
    body: outcome.result(state) as Record<string, unknown>,
    events: outcome.events.length,
  };
}

const reserve = (state: BackOfficeState, overrides = {}) =>
  commit(state, reservePurchaseOrder(state, ReservePurchaseOrderRequestSchema.parse(buildReserve(overrides)), AT));
const hold = (state: BackOfficeState, overrides = {}) =>
  commit(state, holdBudget(state, HoldBudgetRequestSchema.parse(buildHold(overrides)), AT));
const tender = (state: BackOfficeState, overrides = {}) =>
  commit(state, tenderLoad(state, TenderLoadRequestSchema.parse(buildTender(overrides)), AT));

describe('purchase orders', () => {
  it('reserves one order per decision: a repeat returns the same order with 200 and no new event', () => {
    const state = emptyState();
    const first = reserve(state);
    const again = reserve(state);
    expect(first).toMatchObject({ status: 201, events: 1, body: { status: 'reserved', supplierId: 'SUP-7' } });
    expect(again).toEqual({ status: 200, events: 0, body: first.body });
    expect(state.purchaseOrders.size).toBe(1);
  });

  it('refuses a repeat with other terms as idempotency_conflict naming the fields', () => {
    const state = emptyState();
    reserve(state);
    const conflicting = reserve(state, { supplierId: 'SUP-8', quantity: 60 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error).toMatchObject({
      code: 'idempotency_conflict',
      details: { fields: ['supplierId', 'quantity'] },
    });
    expect(state.purchaseOrders.size).toBe(1);
  });

  it('gives a re-decided attempt its own order', () => {
    const state = emptyState();
    const first = reserve(state);
    const second = reserve(state, { attempt: 2, supplierId: 'SUP-8' });
    expect(second.status).toBe(201);
    expect(second.body.poId).not.toBe(first.body.poId);
  });

  it('consumes the decision hold on confirmation and confirms only once', () => {
    const state = emptyState();
    const h = hold(state);
    const po = reserve(state);
    const request = { decisionId: 'decision-1', poId: String(po.body.poId) };
    expect(commit(state, confirmPurchaseOrder(state, request))).toMatchObject({
      status: 200,
      events: 2,
      body: { status: 'confirmed' },
    });
    expect(commit(state, confirmPurchaseOrder(state, request))).toMatchObject({ status: 200, events: 0 });
    expect(state.holds.get(String(h.body.holdId))).toMatchObject({ status: 'consumed', poId: po.body.poId });
  });

  it('cancels idempotently and refuses to confirm a cancelled order', () => {
    const state = emptyState();
    const po = reserve(state);
    const cancel = { decisionId: 'decision-1', poId: String(po.body.poId), reason: 'verification failed' };
    const cancelled = commit(state, cancelPurchaseOrder(state, cancel));
    expect(cancelled).toMatchObject({ status: 200, events: 1, body: { status: 'cancelled' } });
    expect(commit(state, cancelPurchaseOrder(state, { ...cancel, reason: 'again' }))).toEqual({
      status: 200,
      events: 0,
      body: cancelled.body,
    });
    const confirm = commit(
      state,
      confirmPurchaseOrder(state, { decisionId: 'decision-1', poId: String(po.body.poId) }),
    );
    expect(confirm).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition' } } });
    expect((cancelled.body.history as unknown[]).length).toBe(2);
  });

  it('cancels a confirmed order as a late compensation and releases the consumed hold', () => {
    const state = emptyState();
    const h = hold(state);
    const po = reserve(state);
    const poId = String(po.body.poId);
    commit(state, confirmPurchaseOrder(state, { decisionId: 'decision-1', poId }));
    expect(
      commit(state, releaseBudget(state, { decisionId: 'decision-1', holdId: String(h.body.holdId), reason: 'x' })),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_transition' } },
    });
    expect(
      commit(state, cancelPurchaseOrder(state, { decisionId: 'decision-1', poId, reason: 'late verdict' })),
    ).toMatchObject({ status: 200, events: 2 });
    expect(state.holds.get(String(h.body.holdId))?.status).toBe('released');
    expect(state.purchaseOrders.get(poId)?.history.map((s) => s.status)).toEqual([
      'reserved',
      'confirmed',
      'cancelled',
    ]);
  });

  it('answers not found for an unknown order and decision_mismatch for another decision', () => {
    const state = emptyState();
    const po = reserve(state);
    expect(cancelPurchaseOrder(state, { decisionId: 'decision-1', poId: 'po_nope', reason: 'x' })).toMatchObject({
      status: 404,
      error: { code: 'purchase_order_not_found' },
    });
    expect(confirmPurchaseOrder(state, { decisionId: 'decision-2', poId: String(po.body.poId) })).toMatchObject({
      status: 409,
      error: { code: 'decision_mismatch' },
    });
  });
});

describe('budget holds', () => {
  it('holds once per decision, refuses other amounts and releases idempotently', () => {
    const state = emptyState();
    const first = hold(state);
    expect(hold(state)).toMatchObject({ status: 200, events: 0 });
    expect(hold(state, { amount: 9999 })).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_conflict' } },
    });
    const release = { decisionId: 'decision-1', holdId: String(first.body.holdId), reason: 'rolled back' };
    expect(commit(state, releaseBudget(state, release))).toMatchObject({ events: 1, body: { status: 'released' } });
    expect(commit(state, releaseBudget(state, release))).toMatchObject({ status: 200, events: 0 });
  });
});

describe('tenders', () => {
  it('tenders once, retracts idempotently and refuses to confirm a retracted tender', () => {
    const state = emptyState();
    const first = tender(state);
    expect(tender(state)).toMatchObject({ status: 200, events: 0 });
    expect(tender(state, { carrierId: 'CAR-1' })).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_conflict', details: { fields: ['carrierId'] } } },
    });
    const retract = { decisionId: 'decision-1', tenderId: String(first.body.tenderId), reason: 'rolled back' };
    expect(commit(state, retractTender(state, retract))).toMatchObject({ events: 1, body: { status: 'retracted' } });
    expect(commit(state, retractTender(state, retract))).toMatchObject({ status: 200, events: 0 });
    expect(confirmTender(state, { decisionId: 'decision-1', tenderId: String(first.body.tenderId) })).toMatchObject({
      status: 409,
      error: { code: 'invalid_transition' },
    });
  });

  it('retracts an accepted tender as a late compensation', () => {
    const state = emptyState();
    const tenderId = String(tender(state).body.tenderId);
    expect(commit(state, confirmTender(state, { decisionId: 'decision-1', tenderId }))).toMatchObject({
      body: { status: 'accepted' },
    });
    expect(
      commit(state, retractTender(state, { decisionId: 'decision-1', tenderId, reason: 'late verdict' })),
    ).toMatchObject({ body: { status: 'retracted' } });
    expect(state.tenders.get(tenderId)?.history.map((s) => s.status)).toEqual(['tendered', 'accepted', 'retracted']);
  });
});
