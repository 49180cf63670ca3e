// The decision workflows registered on the worker (bundled for Temporal's deterministic sandbox).
export { procurementDecision } from './procurement';
export { routingDecision } from './routing';
