// procurementDecision: which supplier, how much. Forecast demand when no quantity is given, score every candidate
// supplier's risk in one paid inference, choose by risk-adjusted cost, hold budget, get approval for large orders,
// reserve the purchase order, then verify the inferences and confirm the order or roll everything back.
import { z } from 'zod';
import { AttemptSchema, DecisionSettingsSchema, modelFor } from '../src/contracts/decision';
import { RequisitionSchema, type Requisition } from '../src/contracts/logistics';
import { chooseSupplier, DEFAULT_PROCUREMENT_POLICY, orderQuantity } from '../src/decisions/policy';
import { buildDemandForecastRow, buildSupplierRiskRows, demandFromRatio } from '../src/models/workflow-safe';
import { activities, compensations, DecisionRun, validate } from './decision-run';
import { runDecision, type AttemptContext, type DecisionOutcome, type DecisionPlan } from './decision-flow';

export const ProcurementDecisionInputSchema = z.object({
  requisition: RequisitionSchema,
  settings: DecisionSettingsSchema,
  attempt: AttemptSchema.optional(),
});
export type ProcurementDecisionInput = z.input<typeof ProcurementDecisionInputSchema>;

export async function procurementDecision(input: ProcurementDecisionInput): Promise<DecisionOutcome> {
  const { requisition: original, settings, attempt = { attempt: 1, excludeNodeIds: [] } } = validate(ProcurementDecisionInputSchema, input, 'procurement decision input');
  const run = new DecisionRun('procurement', original, settings, attempt.attempt, attempt.previous);
  const current = (): Requisition => applyAmendments(original, run);
  let holdId: string | undefined;

  const plan: DecisionPlan = {
    async decide(run, round) {
      const requisition = current();
      let forecastPerPeriod: number | undefined;
      if (requisition.quantity === undefined) {
        const { row, scale } = buildDemandForecastRow(requisition.demandHistory);
        const forecast = await run.payAndInfer(`demand-forecast#${round}`, modelFor(settings, 'demand-forecast'), [row], attempt.excludeNodeIds);
        forecastPerPeriod = demandFromRatio(forecast.outputs[0]?.[0] ?? 0, scale);
      }
      const quantity = orderQuantity(requisition, forecastPerPeriod, DEFAULT_PROCUREMENT_POLICY);
      const { rows } = buildSupplierRiskRows(requisition, { orderQuantity: quantity });
      const risk = await run.payAndInfer(`supplier-risk#${round}`, modelFor(settings, 'supplier-risk'), rows, attempt.excludeNodeIds);
      const choice = chooseSupplier(requisition, risk.outputs.map((o) => o[0] ?? 1), quantity, DEFAULT_PROCUREMENT_POLICY);
      if (!choice.ok) return { ok: false, reason: `${choice.reason}: cheapest order ${choice.ranking[0]?.orderValue} > budget ${requisition.budget.amount}` };
      const { chosen } = choice;
      return {
        ok: true,
        orderValue: chosen.orderValue,
        counterparty: chosen.supplierId,
        choice: { supplierId: chosen.supplierId, quantity: chosen.quantity, unitPrice: chosen.unitPrice, orderValue: chosen.orderValue, forecastPerPeriod, ranking: choice.ranking },
      };
    },

    async reserveFunds(run, decided) {
      const hold = await activities.holdBudget({ decisionId: run.decisionId, attempt: run.attempt, amount: decided.orderValue, currency: original.budget.currency });
      holdId = hold.holdId;
      run.saga.add({ action: 'releaseBudget', reference: hold.holdId, run: async () => void (await compensations.releaseBudget({ decisionId: run.decisionId, holdId: hold.holdId, reason: 'decision rolled back' })) });
    },

    async act(run, decided) {
      const requisition = current();
      const choice = decided.choice as { supplierId: string; quantity: number; unitPrice: number };
      const po = await activities.reservePurchaseOrder({
        decisionId: run.decisionId, attempt: run.attempt, supplierId: choice.supplierId, itemSku: requisition.itemSku, quantity: choice.quantity,
        unitPrice: choice.unitPrice, currency: requisition.budget.currency, neededBy: requisition.neededBy,
      });
      run.saga.add({ action: 'cancelPurchaseOrder', reference: po.poId, run: async () => void (await compensations.cancelPurchaseOrder({ decisionId: run.decisionId, poId: po.poId, reason: 'decision rolled back' })) });
      return { reference: po.poId, action: { type: 'purchase_order.reserved', poId: po.poId, supplierId: choice.supplierId, quantity: choice.quantity, orderValue: decided.orderValue, holdId } };
    },

    async confirm(run, acted) {
      await activities.confirmPurchaseOrder({ decisionId: run.decisionId, poId: acted.reference });
    },
  };

  return runDecision(run, plan, attempt, (next: AttemptContext) => [{ requisition: original, settings, attempt: next } satisfies ProcurementDecisionInput]);
}

/** The requisition as amended by the ERP (quantity, needed-by date), latest amendment winning. */
function applyAmendments(requisition: Requisition, run: DecisionRun): Requisition {
  return run.amendments.reduce<Requisition>(
    (r, a) => ({ ...r, ...(a.quantity !== undefined ? { quantity: a.quantity } : {}), ...(a.neededBy !== undefined ? { neededBy: a.neededBy } : {}) }),
    requisition,
  );
}

