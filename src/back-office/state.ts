// The service's in-memory state and the one function that changes it: applying a journal entry. Replay at start and
// live writes go through the same function, so a restarted service cannot disagree with the one that wrote the journal.
import { createHash } from 'node:crypto';
import type { BudgetHold, PurchaseOrder, Tender } from '../contracts/back-office';
import type { BackOfficeEvent, IdempotencyRecord, JournalEntry } from './journal-entry';

export type BackOfficeState = {
  holds: Map<string, BudgetHold>;
  purchaseOrders: Map<string, PurchaseOrder>;
  tenders: Map<string, Tender>;
  idempotencyKeys: Map<string, IdempotencyRecord>;
  lastSeq: number;
};

export function emptyState(): BackOfficeState {
  return { holds: new Map(), purchaseOrders: new Map(), tenders: new Map(), idempotencyKeys: new Map(), lastSeq: 0 };
}

/**
 * Ids derive from (decisionId, attempt): the uniqueness rule "one effect per decision attempt" is then a map lookup,
 * and the same decision gets the same id from any replica that replays the same journal. A budget re-held after an
 * amendment adds its round (round 0 keeps the id it always had).
 */
export function effectId(prefix: 'hold' | 'po' | 'tender', decisionId: string, attempt: number, round = 0): string {
  const key = round > 0 ? `${prefix}\0${decisionId}\0${attempt}\0${round}` : `${prefix}\0${decisionId}\0${attempt}`;
  return `${prefix}_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

export function applyEntry(state: BackOfficeState, entry: JournalEntry): void {
  for (const event of entry.events) applyEvent(state, event, entry.at);
  if (entry.idempotency) state.idempotencyKeys.set(entry.idempotency.key, entry.idempotency);
  state.lastSeq = entry.seq;
}

function applyEvent(state: BackOfficeState, event: BackOfficeEvent, at: string): void {
  switch (event.type) {
    case 'budget_hold.created':
      state.holds.set(event.hold.holdId, event.hold);
      return;
    case 'budget_hold.released':
      update(state.holds, event.holdId, (h) => moved(h, 'released', at, event.reason));
      return;
    case 'budget_hold.consumed':
      update(state.holds, event.holdId, (h) => ({ ...moved(h, 'consumed', at), poId: event.poId }));
      return;
    case 'purchase_order.reserved':
      state.purchaseOrders.set(event.purchaseOrder.poId, event.purchaseOrder);
      return;
    case 'purchase_order.confirmed':
      update(state.purchaseOrders, event.poId, (p) => moved(p, 'confirmed', at));
      return;
    case 'purchase_order.cancelled':
      update(state.purchaseOrders, event.poId, (p) => moved(p, 'cancelled', at, event.reason));
      return;
    case 'tender.created':
      state.tenders.set(event.tender.tenderId, event.tender);
      return;
    case 'tender.accepted':
      update(state.tenders, event.tenderId, (t) => moved(t, 'accepted', at));
      return;
    case 'tender.retracted':
      update(state.tenders, event.tenderId, (t) => moved(t, 'retracted', at, event.reason));
      return;
  }
}

function update<T>(map: Map<string, T>, id: string, change: (value: T) => T): void {
  const current = map.get(id);
  // The rules only emit events for existing records; a journal that says otherwise was edited by hand.
  if (!current) throw new Error(`journal refers to unknown record ${id}`);
  map.set(id, change(current));
}

/** The record in its new status, with the move appended to its history. */
function moved<T extends { status: string; history: { status: string; at: string; reason?: string }[] }>(
  record: T,
  status: T['status'],
  at: string,
  reason?: string,
): T {
  return {
    ...record,
    status,
    history: [...record.history, { status, at, ...(reason === undefined ? {} : { reason }) }],
  };
}
