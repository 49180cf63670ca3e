// `events tail` lines: each kind of message (decision event, logistics event, verdict, dead letter, anything else)
// reads as time, type, subject and its key facts; --json prints the value itself on one line.
import { formatMessageLine, rawMessageLine, type TailedMessage } from '../../../src/cli/render/event-line';

const AT = Date.parse('2026-12-01T10:00:00.000Z');

function buildMessage(value: unknown, overrides: Partial<TailedMessage> = {}): TailedMessage {
  return {
    topic: 't',
    partition: 0,
    offset: '7',
    key: 'k',
    value: typeof value === 'string' ? value : JSON.stringify(value),
    timestamp: String(AT),
    ...overrides,
  };
}

/** The line with its padding collapsed to two spaces. */
const squeeze = (line: string) => line.replace(/\s{2,}/g, '  ');

describe('formatMessageLine', () => {
  it('shows a decision event with its status, attempt, action, receipts and compensations', () => {
    const line = formatMessageLine(
      buildMessage({
        specversion: '1.0',
        id: 'procurement-R1/decision.rolled_back/1',
        source: 'urn:proofpath:engine',
        type: 'decision.rolled_back',
        time: '2026-12-01T10:00:00Z',
        subject: 'procurement-R1',
        datacontenttype: 'application/json',
        data: {
          decisionId: 'procurement-R1',
          kind: 'procurement',
          attempt: 1,
          status: 'ROLLED_BACK',
          failedCheck: 'proof',
          reason: 'fail: proof_output_mismatch',
          receipts: [{ receiptId: '0xr', modelId: 'm', nodeId: '0x1234567890abcdef1234', paymentRef: 'p' }],
          compensations: [{ action: 'cancelPurchaseOrder', reference: 'PO-1', outcome: 'done' }],
        },
      }),
    );
    expect(squeeze(line)).toBe(
      '2026-12-01T10:00:00.000Z  decision.rolled_back  procurement-R1  ROLLED_BACK  attempt 1  proof failed  fail: proof_output_mismatch  1 receipt(s) from 0x12345678…1234  compensated: cancelPurchaseOrder done',
    );
  });

  it('shows the acted-on reference of a decision.acted event', () => {
    const line = formatMessageLine(
      buildMessage({
        specversion: '1.0',
        id: 'i',
        source: 's',
        type: 'decision.acted',
        time: 't',
        subject: 'routing-S1',
        datacontenttype: 'application/json',
        data: {
          decisionId: 'routing-S1',
          kind: 'routing',
          attempt: 1,
          status: 'ACTED',
          action: { type: 'load.tendered', reference: 'TND-9' },
        },
      }),
    );
    expect(squeeze(line)).toBe(
      '2026-12-01T10:00:00.000Z  decision.acted  routing-S1  ACTED  attempt 1  load.tendered TND-9',
    );
  });

  it('summarises a requisition event by item, quantity, budget and suppliers', () => {
    const line = formatMessageLine(
      buildMessage({
        specversion: '1.0',
        id: 'e1',
        source: 'erp',
        type: 'requisition.created',
        subject: 'REQ-1',
        data: {
          requisitionId: 'REQ-1',
          itemSku: 'SKU-1',
          forecastWindow: 2,
          demandHistory: [1],
          neededBy: '2026-12-15',
          budget: { amount: 20000, currency: 'USDC' },
          candidates: [
            {
              supplierId: 'a',
              unitPrice: 1,
              marketPrice: 1,
              quotedLeadTimeDays: 1,
              onTimeRate: 1,
              defectRate: 0,
              distanceKm: 1,
              capacityUnits: 1,
              regionRisk: 0,
              moq: 0,
            },
          ],
        },
      }),
    );
    expect(squeeze(line)).toBe(
      '2026-12-01T10:00:00.000Z  requisition.created  REQ-1  REQ-1  SKU-1  forecast ×2  budget 20000 USDC  1 supplier(s)  needed by 2026-12-15',
    );
  });

  it('shows a verdict with each check and its reason', () => {
    const line = formatMessageLine(
      buildMessage({
        receiptId: '0xabcdefabcdefabcdefabcdef',
        decisionId: 'procurement-R1',
        verified: false,
        verifiedAt: '2026-12-01T10:00:00.000Z',
        checks: {
          attestation: { status: 'pass' },
          proof: { status: 'fail', reason: 'proof_output_mismatch' },
          reexecution: { status: 'pass' },
        },
      }),
    );
    expect(squeeze(line)).toBe(
      '2026-12-01T10:00:00.000Z  verdict  procurement-R1  receipt 0xabcdefab…cdef  not verified  attestation pass  proof fail (proof_output_mismatch)  reexecution pass',
    );
  });

  it('shows a dead letter with its reason, origin and the broken fields', () => {
    const line = formatMessageLine(
      buildMessage({
        reason: 'schema_invalid',
        issues: [{ path: 'data.candidates', message: 'must list at least one supplier' }],
        originalTopic: 'logistics.events',
        originalPartition: 2,
        originalOffset: '41',
        originalKey: 'REQ-2',
        originalValueBase64: '',
        originalHeaders: {},
        receivedAt: '2026-12-01T10:00:00.000Z',
      }),
    );
    expect(squeeze(line)).toBe(
      '2026-12-01T10:00:00.000Z  dead letter: schema_invalid  REQ-2  from logistics.events[2]@41  data.candidates: must list at least one supplier',
    );
  });

  it('still prints a line for JSON it does not know and for text that is not JSON', () => {
    expect(squeeze(formatMessageLine(buildMessage({ type: 'parcel.scanned', subject: 'P-1', where: 'HAM' })))).toBe(
      '2026-12-01T10:00:00.000Z  parcel.scanned  P-1  {"type":"parcel.scanned","subject":"P-1","where":"HAM"}',
    );
    expect(squeeze(formatMessageLine(buildMessage('{not json', { key: 'broken' })))).toBe(
      '2026-12-01T10:00:00.000Z  (not JSON)  broken  {not json',
    );
    expect(squeeze(formatMessageLine(buildMessage('null', { key: null })))).toBe(
      '2026-12-01T10:00:00.000Z  (unrecognised)  -  null',
    );
  });
});

describe('rawMessageLine', () => {
  it('compacts a JSON value to one line and quotes anything else', () => {
    expect(rawMessageLine(buildMessage('{\n  "a": 1\n}'))).toBe('{"a":1}');
    expect(rawMessageLine(buildMessage('{not json'))).toBe('"{not json"');
  });
});
