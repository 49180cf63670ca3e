// Feature builders: correct columns from requisitions, shipments and demand histories; clear errors naming the field.
import type { Requisition, RouteCandidate, Shipment, SupplierCandidate } from '../../../src/contracts/logistics';
import {
  buildDemandForecastRow,
  buildLaneEtaRows,
  buildSupplierRiskRows,
  demandFromRatio,
  FeatureValidationError,
  LANE_ETA_FEATURES,
  SUPPLIER_RISK_FEATURES,
} from '../../../src/models/workflow-safe';

const buildSupplier = (o: Partial<SupplierCandidate> = {}): SupplierCandidate => ({
  supplierId: 'sup-1', unitPrice: 9, marketPrice: 10, quotedLeadTimeDays: 14, onTimeRate: 0.92, defectRate: 0.01,
  distanceKm: 850, capacityUnits: 1000, regionRisk: 0.2, moq: 100, ...o,
});
const buildRequisition = (o: Partial<Requisition> = {}): Requisition => ({
  requisitionId: 'req-1', itemSku: 'SKU-1', quantity: 400, demandHistory: [], neededBy: '2025-03-01',
  budget: { amount: 5000, currency: 'USD' }, candidates: [buildSupplier()], ...o,
});
const buildRoute = (o: Partial<RouteCandidate> = {}): RouteCandidate => ({
  routeId: 'r-1', carrierId: 'c-1', mode: 'rail', distanceKm: 1200, cost: 900, carrierOnTimeRate: 0.9,
  congestionIndex: 0.3, weatherRisk: 0.1, ...o,
});
const buildShipment = (o: Partial<Shipment> = {}): Shipment => ({
  shipmentId: 's-1', origin: 'DEHAM', destination: 'PLWAW', weightKg: 12000, hazmat: false,
  readyAt: '2025-03-05T08:00:00Z', promisedBy: '2025-03-09T08:00:00Z', candidates: [buildRoute()], ...o,
});

function validationError(fn: () => unknown): FeatureValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FeatureValidationError) return error;
    throw error;
  }
  throw new Error('expected a FeatureValidationError');
}

describe('supplier-risk features', () => {
  it('builds one row per candidate in feature order', () => {
    const { rows, candidateIds } = buildSupplierRiskRows(
      buildRequisition({ candidates: [buildSupplier(), buildSupplier({ supplierId: 'sup-2', moq: 600, unitPrice: 12 })] }),
    );
    expect(candidateIds).toEqual(['sup-1', 'sup-2']);
    expect(rows[0]).toHaveLength(SUPPLIER_RISK_FEATURES.length);
    expect(rows[0]).toEqual([0.9, 14, 0.92, 0.01, 850, 0.4, 0.2]);
    // The MOQ, not the requested 400, loads the second supplier's capacity.
    expect(rows[1]![5]).toBe(0.6);
    expect(rows[1]![0]).toBeCloseTo(1.2, 12);
  });

  it('names the candidate and field of an out-of-range rate', () => {
    const bad = buildRequisition({ candidates: [buildSupplier(), buildSupplier(), buildSupplier({ onTimeRate: 1.2 })] });
    const error = validationError(() => buildSupplierRiskRows(bad));
    expect(error.field).toBe('candidates[2].onTimeRate');
    expect(error.message).toBe('candidates[2].onTimeRate: must be between 0 and 1');
    expect(error.code).toBe('feature_input_invalid');
  });

  it('requires a quantity when the requisition only has a forecast window, and uses the one passed in', () => {
    const req = buildRequisition({ quantity: undefined, forecastWindow: 3 });
    expect(validationError(() => buildSupplierRiskRows(req)).field).toBe('quantity');
    expect(buildSupplierRiskRows(req, { orderQuantity: 500 }).rows[0]![5]).toBe(0.5);
    const neither = buildRequisition({ quantity: undefined });
    expect(validationError(() => buildSupplierRiskRows(neither)).message).toBe('quantity: either quantity or forecastWindow is required');
  });

  it('rejects a zero market price, a bad date and an empty candidate list', () => {
    expect(validationError(() => buildSupplierRiskRows(buildRequisition({ candidates: [buildSupplier({ marketPrice: 0 })] }))).field)
      .toBe('candidates[0].marketPrice');
    expect(validationError(() => buildSupplierRiskRows(buildRequisition({ neededBy: '01/03/2025' }))).field).toBe('neededBy');
    expect(validationError(() => buildSupplierRiskRows(buildRequisition({ candidates: [] }))).message)
      .toBe('candidates: must list at least one supplier');
  });
});

describe('lane-eta features', () => {
  it('one-hot encodes the mode and encodes the UTC departure day cyclically', () => {
    // 2025-03-05 is a Wednesday (day 3).
    const { rows, candidateIds } = buildLaneEtaRows(
      buildShipment({ hazmat: true, candidates: [buildRoute(), buildRoute({ routeId: 'r-2', mode: 'air', distanceKm: 900 })] }),
    );
    expect(candidateIds).toEqual(['r-1', 'r-2']);
    expect(rows[0]).toHaveLength(LANE_ETA_FEATURES.length);
    expect(rows[0]!.slice(0, 8)).toEqual([1200, 0, 1, 0, 0, 0.9, 0.3, 0.1]);
    expect(rows[1]!.slice(1, 5)).toEqual([0, 0, 0, 1]);
    expect(rows[0]![8]).toBeCloseTo(Math.sin((2 * Math.PI * 3) / 7), 12);
    expect(rows[0]![9]).toBeCloseTo(Math.cos((2 * Math.PI * 3) / 7), 12);
    expect(rows[0]![10]).toBe(1);
  });

  it('uses the UTC day even when the timestamp carries another offset', () => {
    // 23:30 on Tuesday at -05:00 is 04:30 on Wednesday UTC.
    const a = buildLaneEtaRows(buildShipment({ readyAt: '2025-03-04T23:30:00-05:00' })).rows[0]!;
    const b = buildLaneEtaRows(buildShipment()).rows[0]!;
    expect(a.slice(8, 10)).toEqual(b.slice(8, 10));
  });

  it('names the bad field of a route and of the shipment', () => {
    const bad = buildShipment({ candidates: [buildRoute(), buildRoute({ congestionIndex: -0.1 })] });
    expect(validationError(() => buildLaneEtaRows(bad)).message).toBe('candidates[1].congestionIndex: must be between 0 and 1');
    const mode = buildShipment({ candidates: [buildRoute({ mode: 'teleport' as never })] });
    expect(validationError(() => buildLaneEtaRows(mode)).field).toBe('candidates[0].mode');
    const late = buildShipment({ promisedBy: '2025-03-01T00:00:00Z' });
    expect(validationError(() => buildLaneEtaRows(late)).message).toBe('promisedBy: must be after readyAt');
  });
});

describe('demand-forecast features', () => {
  const history = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

  it('normalises the last 12 periods by their mean and adds the seasonal index and level growth', () => {
    const h = [...history(12, (i) => (i === 0 ? 200 : 100)), ...history(12, (i) => 150 + (i === 11 ? 60 : 0))];
    const { row, scale } = buildDemandForecastRow(h);
    expect(scale).toBe(155);
    expect(row.slice(0, 12)).toEqual(h.slice(12).map((v) => v / 155));
    expect(row[12]).toBeCloseTo(200 / (1300 / 12), 12);
    expect(row[13]).toBeCloseTo(155 / (1300 / 12), 12);
    expect(demandFromRatio(1.1, scale)).toBeCloseTo(170.5, 12);
  });

  it('uses only the latest 24 periods', () => {
    const h = history(30, (i) => 100 + i);
    expect(buildDemandForecastRow(h)).toEqual(buildDemandForecastRow(h.slice(6)));
  });

  it('rejects short, negative or all-zero histories, naming the field', () => {
    expect(validationError(() => buildDemandForecastRow(history(23, () => 1))).message).toBe(
      'demandHistory: must hold at least 24 periods (oldest first)',
    );
    expect(validationError(() => buildDemandForecastRow(history(24, (i) => (i === 5 ? -1 : 1)))).field).toBe('demandHistory[5]');
    expect(validationError(() => buildDemandForecastRow(history(24, (i) => (i < 12 ? 1 : 0)))).field).toBe('demandHistory');
  });
});
