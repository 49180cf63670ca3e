// Builds supplier-risk input rows (one per candidate supplier) from a requisition; pure, safe inside workflows.
import { RequisitionSchema, type Requisition, type SupplierCandidate } from '../../contracts/logistics';
import { FeatureValidationError } from '../errors';
import { parseFeatureInput } from './parse-input';

export type SupplierRiskRows = {
  /** candidateIds[i] is the supplier whose features are rows[i]. */
  candidateIds: string[];
  /** Columns in SUPPLIER_RISK_FEATURES order. */
  rows: number[][];
};

export type SupplierRiskOptions = {
  /** Units to order when the requisition carries a forecastWindow instead of a quantity (e.g. from demand-forecast). */
  orderQuantity?: number;
};

export function buildSupplierRiskRows(requisition: Requisition, options: SupplierRiskOptions = {}): SupplierRiskRows {
  const req = parseFeatureInput(RequisitionSchema, requisition);
  const quantity = options.orderQuantity ?? req.quantity;
  if (quantity === undefined) {
    throw new FeatureValidationError('quantity', 'required: pass orderQuantity when the requisition only has a forecastWindow');
  }
  if (!Number.isFinite(quantity) || quantity <= 0) {
    throw new FeatureValidationError('orderQuantity', 'must be a finite number greater than 0');
  }
  return {
    candidateIds: req.candidates.map((c) => c.supplierId),
    rows: req.candidates.map((c) => supplierRow(c, quantity)),
  };
}

function supplierRow(c: SupplierCandidate, quantity: number): number[] {
  // The supplier ships at least its minimum order quantity, so that is what loads its capacity.
  const ordered = Math.max(quantity, c.moq);
  return [
    c.unitPrice / c.marketPrice,
    c.quotedLeadTimeDays,
    c.onTimeRate,
    c.defectRate,
    c.distanceKm,
    ordered / c.capacityUnits,
    c.regionRisk,
  ];
}
