// Procurement policy, pure and deterministic (it runs inside the workflow): pick the supplier with the lowest
// risk-adjusted cost, and size the order from the forecast with safety stock, respecting each supplier's MOQ.
import type { Requisition } from '../../contracts/logistics';

export type ProcurementPolicySettings = {
  /** Share of the order value lost when an order arrives late or short (expediting, stock-outs). */
  latenessPenaltyRate: number;
  /** Extra stock on top of forecast demand, as a share of it. */
  safetyStockRatio: number;
};

export const DEFAULT_PROCUREMENT_POLICY: ProcurementPolicySettings = {
  latenessPenaltyRate: 0.25,
  safetyStockRatio: 0.2,
};

export type SupplierScore = {
  supplierId: string;
  quantity: number;
  unitPrice: number;
  orderValue: number;
  lateOrShortProbability: number;
  expectedPenalty: number;
  score: number;
  withinBudget: boolean;
};

export type ProcurementChoice =
  | { ok: true; chosen: SupplierScore; ranking: SupplierScore[]; baseQuantity: number }
  | { ok: false; reason: 'no_supplier_within_budget'; ranking: SupplierScore[]; baseQuantity: number };

/** Units needed: the requested quantity, or forecast demand per period × window × (1 + safety stock), rounded up. */
export function orderQuantity(
  requisition: Requisition,
  forecastPerPeriod: number | undefined,
  settings: ProcurementPolicySettings,
): number {
  if (requisition.quantity !== undefined) return Math.ceil(requisition.quantity);
  if (forecastPerPeriod === undefined || requisition.forecastWindow === undefined) {
    throw new Error('a forecast is required when the requisition has no quantity');
  }
  return Math.max(1, Math.ceil(forecastPerPeriod * requisition.forecastWindow * (1 + settings.safetyStockRatio)));
}

export function chooseSupplier(
  requisition: Requisition,
  lateOrShortProbabilities: readonly number[],
  baseQuantity: number,
  settings: ProcurementPolicySettings = DEFAULT_PROCUREMENT_POLICY,
): ProcurementChoice {
  const ranking = requisition.candidates
    .map((candidate, i): SupplierScore => {
      const quantity = Math.max(baseQuantity, Math.ceil(candidate.moq));
      const orderValue = round2(quantity * candidate.unitPrice);
      const probability = lateOrShortProbabilities[i] ?? 1;
      const expectedPenalty = round2(probability * settings.latenessPenaltyRate * orderValue);
      return {
        supplierId: candidate.supplierId,
        quantity,
        unitPrice: candidate.unitPrice,
        orderValue,
        lateOrShortProbability: probability,
        expectedPenalty,
        score: round2(orderValue + expectedPenalty),
        withinBudget: orderValue <= requisition.budget.amount,
      };
    })
    // Ties break on supplier id so the same inputs always give the same choice.
    .sort((a, b) => a.score - b.score || a.supplierId.localeCompare(b.supplierId));
  const chosen = ranking.find((s) => s.withinBudget);
  return chosen
    ? { ok: true, chosen, ranking, baseQuantity }
    : { ok: false, reason: 'no_supplier_within_budget', ranking, baseQuantity };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
