// Decision policies: risk-adjusted supplier choice, order sizing, route choice against the promised date.
import { chooseRoute, chooseSupplier, DEFAULT_PROCUREMENT_POLICY, orderQuantity } from '../../../src/decisions/policy';
import type { Requisition, Shipment } from '../../../src/contracts/logistics';

function buildRequisition(overrides: Partial<Requisition> = {}): Requisition {
  const base = {
    marketPrice: 10,
    quotedLeadTimeDays: 10,
    onTimeRate: 0.9,
    defectRate: 0.01,
    distanceKm: 100,
    capacityUnits: 10_000,
    regionRisk: 0.1,
  };
  return {
    requisitionId: 'R-1',
    itemSku: 'SKU',
    quantity: 100,
    demandHistory: [],
    neededBy: '2026-12-01',
    budget: { amount: 5_000, currency: 'USD' },
    candidates: [
      { ...base, supplierId: 'cheap-risky', unitPrice: 9, moq: 0 },
      { ...base, supplierId: 'dear-safe', unitPrice: 10, moq: 0 },
    ],
    ...overrides,
  };
}

describe('chooseSupplier', () => {
  it('prefers the cheaper supplier when risks are equal', () => {
    const choice = chooseSupplier(buildRequisition(), [0.1, 0.1], 100);
    expect(choice.ok && choice.chosen.supplierId).toBe('cheap-risky');
  });

  it('prefers the safer supplier when the expected lateness penalty outweighs the price difference', () => {
    // cheap: 900 + 0.9 × 0.25 × 900 = 1102.5; dear: 1000 + 0.05 × 0.25 × 1000 = 1012.5
    const choice = chooseSupplier(buildRequisition(), [0.9, 0.05], 100);
    expect(choice.ok && choice.chosen).toMatchObject({
      supplierId: 'dear-safe',
      orderValue: 1000,
      expectedPenalty: 12.5,
      score: 1012.5,
    });
  });

  it('orders at least the supplier MOQ and excludes suppliers over budget', () => {
    const requisition = buildRequisition({ budget: { amount: 1_500, currency: 'USD' } });
    requisition.candidates[0] = { ...requisition.candidates[0]!, moq: 200 }; // 200 × 9 = 1,800 > budget
    const choice = chooseSupplier(requisition, [0.1, 0.1], 100);
    expect(choice.ranking.find((s) => s.supplierId === 'cheap-risky')).toMatchObject({
      quantity: 200,
      withinBudget: false,
    });
    expect(choice.ok && choice.chosen.supplierId).toBe('dear-safe');
  });

  it('fails with a named reason when no supplier fits the budget', () => {
    const choice = chooseSupplier(buildRequisition({ budget: { amount: 10, currency: 'USD' } }), [0.1, 0.1], 100);
    expect(choice).toMatchObject({ ok: false, reason: 'no_supplier_within_budget' });
  });
});

describe('orderQuantity', () => {
  it('uses the requested quantity when given', () => {
    expect(orderQuantity(buildRequisition({ quantity: 42.2 }), undefined, DEFAULT_PROCUREMENT_POLICY)).toBe(43);
  });
  it('sizes from the forecast over the window with safety stock', () => {
    expect(
      orderQuantity(buildRequisition({ quantity: undefined, forecastWindow: 2 }), 100, DEFAULT_PROCUREMENT_POLICY),
    ).toBe(240);
  });
});

describe('chooseRoute', () => {
  const shipment: Shipment = {
    shipmentId: 'S-1',
    origin: 'A',
    destination: 'B',
    weightKg: 1000,
    hazmat: false,
    readyAt: '2026-11-26T00:00:00Z',
    promisedBy: '2026-11-27T00:00:00Z',
    candidates: [
      {
        routeId: 'slow-cheap',
        carrierId: 'c1',
        mode: 'rail',
        distanceKm: 500,
        cost: 500,
        carrierOnTimeRate: 0.9,
        congestionIndex: 0.1,
        weatherRisk: 0.1,
      },
      {
        routeId: 'fast-dear',
        carrierId: 'c2',
        mode: 'road',
        distanceKm: 500,
        cost: 900,
        carrierOnTimeRate: 0.9,
        congestionIndex: 0.1,
        weatherRisk: 0.1,
      },
    ],
  };

  it('prefers a route that meets the promised date over a cheaper late one', () => {
    const { chosen, ranking } = chooseRoute(shipment, [
      [40, 0.1],
      [10, 0.1],
    ]);
    expect(chosen.routeId).toBe('fast-dear');
    expect(ranking[1]).toMatchObject({ routeId: 'slow-cheap', hoursLate: 16, meetsPromise: false });
  });

  it('takes the cheapest risk-adjusted route among those on time', () => {
    expect(
      chooseRoute(shipment, [
        [20, 0.1],
        [10, 0.1],
      ]).chosen.routeId,
    ).toBe('slow-cheap');
    expect(
      chooseRoute(shipment, [
        [20, 0.99],
        [10, 0.0],
      ]).chosen.routeId,
    ).toBe('slow-cheap'); // 500 + 148.5 < 900
  });
});
