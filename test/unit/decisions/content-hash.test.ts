// The content hash that tells a redelivered event (same content) from a business key conflict (other content).
import fc from 'fast-check';
import { decisionContentHash } from '../../../src/decisions/starter';
import { buildRequisition, buildShipment } from '../../integration/decisions/support/events';

describe('decision content hash', () => {
  it('is the same for the same content in any key order', () => {
    const requisition = buildRequisition();
    const reordered = Object.fromEntries(
      Object.entries(requisition)
        .reverse()
        .map(([k, v]) => [
          k,
          k === 'budget' ? { currency: requisition.budget.currency, amount: requisition.budget.amount } : v,
        ]),
    ) as typeof requisition;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(requisition)[0]);
    expect(decisionContentHash(reordered)).toBe(decisionContentHash(requisition));
  });

  it('changes with any field of the business input', () => {
    const shipment = buildShipment();
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(shipment)), fc.string(), (field, value) => {
        fc.pre(JSON.stringify((shipment as Record<string, unknown>)[field]) !== JSON.stringify(value));
        expect(decisionContentHash({ ...shipment, [field]: value } as typeof shipment)).not.toBe(
          decisionContentHash(shipment),
        );
      }),
      { numRuns: 50, seed: 5 },
    );
  });
});
