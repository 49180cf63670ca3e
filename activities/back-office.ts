// Activities that act in the ERP and TMS, and their compensations. Every call carries the decision id, which the
// ERP/TMS use as the idempotency key: a retried activity finds the reservation it already made.
import { z } from 'zod';
import type { Erp } from '../src/erp';
import type { Tms } from '../src/tms';
import { parseActivityInput } from './input';

const decisionId = z.string().min(1);
const attempt = z.number().int().min(1);
const HoldInput = z.object({
  decisionId,
  attempt,
  round: z.number().int().min(0).optional(),
  amount: z.number().nonnegative(),
  currency: z.string().min(1),
});
const ReleaseInput = z.object({ decisionId, holdId: z.string().min(1), reason: z.string().min(1) });
const ReserveInput = z.object({
  decisionId,
  attempt,
  supplierId: z.string().min(1),
  itemSku: z.string().min(1),
  quantity: z.number().positive(),
  unitPrice: z.number().positive(),
  currency: z.string().min(1),
  neededBy: z.string().min(1),
});
const PoInput = z.object({ decisionId, poId: z.string().min(1) });
const CancelPoInput = PoInput.extend({ reason: z.string().min(1) });
const TenderInput = z.object({
  decisionId,
  attempt,
  shipmentId: z.string().min(1),
  routeId: z.string().min(1),
  carrierId: z.string().min(1),
  cost: z.number().nonnegative(),
  currency: z.string().min(1),
});
const TenderRefInput = z.object({ decisionId, tenderId: z.string().min(1) });
const RetractInput = TenderRefInput.extend({ reason: z.string().min(1) });

export function createBackOfficeActivities(deps: { erp: Erp; tms: Tms }) {
  const { erp, tms } = deps;
  return {
    holdBudget: async (input: z.input<typeof HoldInput>) => erp.holdBudget(parseActivityInput(HoldInput, input)),
    releaseBudget: async (input: z.input<typeof ReleaseInput>) =>
      erp.releaseBudget(parseActivityInput(ReleaseInput, input)),
    reservePurchaseOrder: async (input: z.input<typeof ReserveInput>) =>
      erp.reservePurchaseOrder(parseActivityInput(ReserveInput, input)),
    confirmPurchaseOrder: async (input: z.input<typeof PoInput>) =>
      erp.confirmPurchaseOrder(parseActivityInput(PoInput, input)),
    cancelPurchaseOrder: async (input: z.input<typeof CancelPoInput>) =>
      erp.cancelPurchaseOrder(parseActivityInput(CancelPoInput, input)),
    tenderLoad: async (input: z.input<typeof TenderInput>) => tms.tenderLoad(parseActivityInput(TenderInput, input)),
    confirmTender: async (input: z.input<typeof TenderRefInput>) =>
      tms.confirmTender(parseActivityInput(TenderRefInput, input)),
    retractTender: async (input: z.input<typeof RetractInput>) =>
      tms.retractTender(parseActivityInput(RetractInput, input)),
  };
}
