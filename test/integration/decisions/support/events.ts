// Builders of logistics events for decision tests: valid by default, unique per test, overridable per field.
import type { Requisition, Shipment } from '../../../../src/contracts/logistics';
import { uniqueName } from '../../../support/unique';

export function buildRequisition(overrides: Partial<Requisition> = {}): Requisition {
  return {
    requisitionId: uniqueName('REQ'),
    itemSku: 'PALLET-WRAP-500',
    quantity: 300,
    demandHistory: [
      410, 395, 430, 460, 480, 520, 540, 525, 500, 470, 450, 440, 420, 405, 445, 470, 495, 530, 560, 545, 515, 490, 465,
      455,
    ],
    neededBy: '2026-12-15',
    budget: { amount: 20_000, currency: 'USDC' },
    candidates: [
      {
        supplierId: 'acme-packaging',
        unitPrice: 9.8,
        marketPrice: 10,
        quotedLeadTimeDays: 12,
        onTimeRate: 0.93,
        defectRate: 0.01,
        distanceKm: 420,
        capacityUnits: 5000,
        regionRisk: 0.1,
        moq: 200,
      },
      {
        supplierId: 'budget-wrap',
        unitPrice: 8.9,
        marketPrice: 10,
        quotedLeadTimeDays: 30,
        onTimeRate: 0.71,
        defectRate: 0.06,
        distanceKm: 8200,
        capacityUnits: 1200,
        regionRisk: 0.55,
        moq: 500,
      },
      {
        supplierId: 'northern-films',
        unitPrice: 10.4,
        marketPrice: 10,
        quotedLeadTimeDays: 8,
        onTimeRate: 0.97,
        defectRate: 0.005,
        distanceKm: 150,
        capacityUnits: 3000,
        regionRisk: 0.05,
        moq: 100,
      },
    ],
    ...overrides,
  };
}

export function buildShipment(overrides: Partial<Shipment> = {}): Shipment {
  return {
    shipmentId: uniqueName('SHP'),
    origin: 'DE-HAM',
    destination: 'PL-WAW',
    weightKg: 8200,
    hazmat: false,
    readyAt: '2026-11-26T06:00:00Z',
    promisedBy: '2026-11-28T18:00:00Z',
    candidates: [
      {
        routeId: 'road-direct',
        carrierId: 'baltic-trucking',
        mode: 'road',
        distanceKm: 870,
        cost: 1450,
        carrierOnTimeRate: 0.9,
        congestionIndex: 0.4,
        weatherRisk: 0.2,
      },
      {
        routeId: 'rail-intermodal',
        carrierId: 'eurorail-cargo',
        mode: 'rail',
        distanceKm: 940,
        cost: 1100,
        carrierOnTimeRate: 0.82,
        congestionIndex: 0.3,
        weatherRisk: 0.1,
      },
    ],
    ...overrides,
  };
}

export function requisitionCreated(requisition: Requisition, id = uniqueName('evt')) {
  return {
    specversion: '1.0',
    id,
    source: 'urn:test:erp',
    type: 'requisition.created',
    time: '2026-11-25T08:00:00Z',
    subject: requisition.requisitionId,
    data: requisition,
  };
}

export function requisitionCancelled(requisitionId: string, reason = 'customer withdrew the order') {
  return {
    specversion: '1.0',
    id: uniqueName('evt'),
    source: 'urn:test:erp',
    type: 'requisition.cancelled',
    subject: requisitionId,
    data: { requisitionId, reason, requestedBy: 'buyer@example.com' },
  };
}

export function shipmentReady(shipment: Shipment, id = uniqueName('evt')) {
  return {
    specversion: '1.0',
    id,
    source: 'urn:test:wms',
    type: 'shipment.ready',
    time: '2026-11-25T08:00:00Z',
    subject: shipment.shipmentId,
    data: shipment,
  };
}
