// Builders for ERP/TMS requests and a throw-away service state directory, shared by the unit and integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  HoldBudgetRequest,
  ReservePurchaseOrderRequest,
  TenderLoadRequest,
} from '../../../src/contracts/back-office';
import { uniqueName } from '../../support/unique';

export function buildDecisionId(): string {
  return uniqueName('decision');
}

export function buildHold(overrides: Partial<HoldBudgetRequest> = {}): HoldBudgetRequest {
  return { decisionId: 'decision-1', amount: 1250, currency: 'USD', ...overrides };
}

export function buildReserve(overrides: Partial<ReservePurchaseOrderRequest> = {}): ReservePurchaseOrderRequest {
  return {
    decisionId: 'decision-1',
    supplierId: 'SUP-7',
    itemSku: 'SKU-42',
    quantity: 50,
    unitPrice: 25,
    currency: 'USD',
    neededBy: '2025-03-01',
    ...overrides,
  };
}

export function buildTender(overrides: Partial<TenderLoadRequest> = {}): TenderLoadRequest {
  return {
    decisionId: 'decision-1',
    shipmentId: 'SHP-1',
    routeId: 'R-3',
    carrierId: 'CAR-9',
    cost: 830.5,
    currency: 'USD',
    ...overrides,
  };
}

export function tempStateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-erp-'));
}

/** The journal's entries as parsed JSON, to count effects the way an auditor would. */
export function readJournal(
  file: string,
): { seq: number; events: { type: string }[]; idempotency?: { key: string } }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { seq: number; events: { type: string }[] });
}

export function countEvents(file: string, type: string): number {
  return readJournal(file)
    .flatMap((e) => e.events)
    .filter((e) => e.type === type).length;
}
