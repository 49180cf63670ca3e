// procurementDecision: which supplier, how much. Forecast demand when no quantity is given, score every candidate
// supplier's risk in one paid inference, choose by risk-adjusted cost, hold budget, get approval for large orders,
// reserve the purchase order, then verify the inferences and confirm the order or roll everything back.
import { continueAsNew } from '@temporalio/workflow';
import { z } from 'zod';
import { AttemptSchema, DecisionSettingsSchema, modelFor, type AmendUpdate } from '../src/contracts/decision';
import type { DecisionOutcome } from '../src/contracts/decision-outcome';
import { RequisitionSchema, type Requisition } from '../src/contracts/logistics';
import { chooseSupplier, DEFAULT_PROCUREMENT_POLICY, orderQuantity, type SupplierScore } from '../src/decisions/policy';
import { buildDemandForecastRow, buildSupplierRiskRows, demandFromRatio } from '../src/models/workflow-safe';
import { activities, compensations } from './decision-activities';
import type { DecisionPlan } from './decision-plan';
import { runDecisionProcess, type AttemptContext } from './decision-process';
import { DecisionState } from './decision-state';
import { payAndInfer } from './paid-inference';
import { validate } from './validate';

export const ProcurementDecisionInputSchema = z.object({
  requisition: RequisitionSchema,
  settings: DecisionSettingsSchema,
  attempt: AttemptSchema.optional(),
});
export type ProcurementDecisionInput = z.input<typeof ProcurementDecisionInputSchema>;

export type SupplierChoice = {
  supplierId: string;
  quantity: number;
  unitPrice: number;
  orderValue: number;
  forecastPerPeriod?: number;
  ranking: SupplierScore[];
};
export type PurchaseOrderReserved = {
  type: 'purchase_order.reserved';
  poId: string;
  supplierId: string;
  quantity: number;
  orderValue: number;
  holdId?: string;
};
export type BudgetHold = { holdId: string; amount: number };

export async function procurementDecision(input: ProcurementDecisionInput): Promise<DecisionOutcome> {
  const {
    requisition,
    settings,
    attempt = { attempt: 1, excludeNodeIds: [] },
  } = validate(ProcurementDecisionInputSchema, input, 'procurement decision input');
  const state = new DecisionState('procurement', requisition, settings, attempt.attempt, attempt.previous);
  const restart = (next: AttemptContext) =>
    continueAsNew<typeof procurementDecision>({ requisition, settings, attempt: next });
  return runDecisionProcess(state, procurementPlan(state, requisition, attempt.excludeNodeIds), attempt, restart);
}

function procurementPlan(
  state: DecisionState,
  original: Requisition,
  excludeNodeIds: string[],
): DecisionPlan<SupplierChoice, PurchaseOrderReserved, BudgetHold> {
  const { decisionId, attempt } = state;
  const current = (): Requisition => applyAmendments(original, state.amendments);
  return {
    async decide(round) {
      const requisition = current();
      let forecastPerPeriod: number | undefined;
      if (requisition.quantity === undefined) {
        const { row, scale } = buildDemandForecastRow(requisition.demandHistory);
        const forecast = await payAndInfer(
          state,
          `demand-forecast#${round}`,
          modelFor(state.settings, 'demand-forecast'),
          [row],
          excludeNodeIds,
        );
        forecastPerPeriod = demandFromRatio(forecast.outputs[0]?.[0] ?? 0, scale);
      }
      const quantity = orderQuantity(requisition, forecastPerPeriod, DEFAULT_PROCUREMENT_POLICY);
      const { rows } = buildSupplierRiskRows(requisition, { orderQuantity: quantity });
      const risk = await payAndInfer(
        state,
        `supplier-risk#${round}`,
        modelFor(state.settings, 'supplier-risk'),
        rows,
        excludeNodeIds,
      );
      const choice = chooseSupplier(
        requisition,
        risk.outputs.map((o) => o[0] ?? 1),
        quantity,
        DEFAULT_PROCUREMENT_POLICY,
      );
      if (!choice.ok)
        return {
          ok: false,
          code: choice.reason,
          reason: `${choice.reason}: cheapest order ${choice.ranking[0]?.orderValue} > budget ${requisition.budget.amount}`,
        };
      const { supplierId, unitPrice, orderValue } = choice.chosen;
      return {
        ok: true,
        orderValue,
        counterparty: supplierId,
        choice: {
          supplierId,
          quantity: choice.chosen.quantity,
          unitPrice,
          orderValue,
          forecastPerPeriod,
          ranking: choice.ranking,
        },
      };
    },

    funds: {
      async hold(decision, round) {
        // Round 0 keeps the request it always had; a re-hold after an amendment names its round (its own hold id).
        const hold = await activities.holdBudget({
          decisionId,
          attempt,
          amount: decision.orderValue,
          currency: original.budget.currency,
          ...(round > 0 ? { round } : {}),
        });
        return { holdId: hold.holdId, amount: decision.orderValue };
      },
      async release(hold, reason) {
        await compensations.releaseBudget({ decisionId, holdId: hold.holdId, reason });
      },
    },

    async act({ choice, orderValue }, hold) {
      const requisition = current();
      const po = await activities.reservePurchaseOrder({
        decisionId,
        attempt,
        supplierId: choice.supplierId,
        itemSku: requisition.itemSku,
        quantity: choice.quantity,
        unitPrice: choice.unitPrice,
        currency: requisition.budget.currency,
        neededBy: requisition.neededBy,
      });
      return {
        reference: po.poId,
        action: {
          type: 'purchase_order.reserved',
          poId: po.poId,
          supplierId: choice.supplierId,
          quantity: choice.quantity,
          orderValue,
          holdId: hold?.holdId,
        },
        undo: {
          action: 'cancelPurchaseOrder',
          reference: po.poId,
          run: async () =>
            void (await compensations.cancelPurchaseOrder({
              decisionId,
              poId: po.poId,
              reason: 'decision rolled back',
            })),
        },
      };
    },

    async confirm(acted) {
      await activities.confirmPurchaseOrder({ decisionId, poId: acted.reference });
    },
  };
}

/** The requisition as amended by the ERP (quantity, needed-by date), latest amendment winning. */
function applyAmendments(requisition: Requisition, amendments: readonly AmendUpdate[]): Requisition {
  return amendments.reduce<Requisition>(
    (r, a) => ({
      ...r,
      ...(a.quantity !== undefined ? { quantity: a.quantity } : {}),
      ...(a.neededBy !== undefined ? { neededBy: a.neededBy } : {}),
    }),
    requisition,
  );
}
