// Public surface of the feature builders: pure and deterministic, imported by workflows and by the inference path.
export { buildSupplierRiskRows, type SupplierRiskOptions, type SupplierRiskRows } from './supplier-risk';
export { buildLaneEtaRows, type LaneEtaRows } from './lane-eta';
export { buildDemandForecastRow, demandFromRatio, type DemandForecastRow } from './demand-forecast';
export * from './feature-order';
export { formatFieldPath } from './parse-input';
