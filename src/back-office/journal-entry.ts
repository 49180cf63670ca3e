// The records of the service's journal: one line per accepted mutation, holding every effect it had (atomically).
import { z } from 'zod';
import { BudgetHoldSchema, PurchaseOrderSchema, TenderSchema } from '../contracts/back-office';

export const BackOfficeEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('budget_hold.created'), hold: BudgetHoldSchema }),
  z.object({ type: z.literal('budget_hold.released'), holdId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('budget_hold.consumed'), holdId: z.string(), poId: z.string() }),
  z.object({ type: z.literal('purchase_order.reserved'), purchaseOrder: PurchaseOrderSchema }),
  z.object({ type: z.literal('purchase_order.confirmed'), poId: z.string() }),
  z.object({ type: z.literal('purchase_order.cancelled'), poId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('tender.created'), tender: TenderSchema }),
  z.object({ type: z.literal('tender.accepted'), tenderId: z.string() }),
  z.object({ type: z.literal('tender.retracted'), tenderId: z.string(), reason: z.string() }),
]);

/** What an Idempotency-Key was first used for and what it got back, so a retry with the key gets the same answer. */
export const IdempotencyRecordSchema = z.object({
  key: z.string(),
  fingerprint: z.string(),
  response: z.object({ status: z.number().int(), body: z.unknown() }),
});

export const JournalEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  events: z.array(BackOfficeEventSchema).min(1),
  idempotency: IdempotencyRecordSchema.optional(),
});

export type BackOfficeEvent = z.infer<typeof BackOfficeEventSchema>;
export type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>;
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
