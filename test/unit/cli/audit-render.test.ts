// The audit renderer on built audit records: every link of the verification chain appears, aligned and plain unless
// colour is asked for, with what the node said about settlement and commitment when it was asked.
import type { DecisionAudit, InferenceRecord } from '../../../src/contracts/decision';
import type { ReceiptRecord } from '../../../src/contracts/inference-http';
import { renderAudit, type ReceiptLookup } from '../../../src/cli/render/audit';

const hex = (digit: string, bytes = 32) => `0x${digit.repeat(bytes * 2)}` as `0x${string}`;
const RECEIPT = hex('a');
const MODEL = 'sha256:1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988';
const NODE = '0x00000000000000000000000000000000000000n1';
const PAYMENT = 'eip155:31337/0xtoken/0xpayer/0x01';

function buildInference(overrides: Partial<InferenceRecord> = {}): InferenceRecord {
  return {
    step: 'supplier-risk#0',
    modelId: MODEL,
    nodeId: NODE,
    nodeUrl: 'http://127.0.0.1:8402',
    receiptId: RECEIPT,
    inputHash: hex('b'),
    outputHash: hex('c'),
    paymentRef: PAYMENT,
    settlement: 'pending',
    rows: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    outputs: [[0.1], [0.2], [0.3]],
    ...overrides,
  };
}

function buildAudit(overrides: Partial<DecisionAudit> = {}): DecisionAudit {
  return {
    decisionId: 'procurement-REQ-1',
    kind: 'procurement',
    status: 'VERIFIED',
    input: {
      requisitionId: 'REQ-1',
      itemSku: 'PALLET-WRAP-500',
      quantity: 300,
      demandHistory: [1, 2],
      neededBy: '2026-12-15',
      budget: { amount: 20000, currency: 'USDC' },
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
      ],
    },
    inferences: [buildInference()],
    choice: { supplierId: 'acme-packaging', quantity: 300, orderValue: 2940, ranking: [{}, {}] },
    approval: { outcome: 'not_required' },
    actions: [{ action: 'purchase_order.reserved', reference: 'PO-7', at: '2026-12-01T10:00:02.000Z' }],
    compensations: [],
    verifications: [
      {
        receiptId: RECEIPT,
        verifiedAt: '2026-12-01T10:00:05.000Z',
        checks: { attestation: { status: 'pass' }, proof: { status: 'pass' }, reexecution: { status: 'pass' } },
      },
    ],
    outcome: { status: 'VERIFIED' },
    attempts: 1,
    timings: { startedAt: '2026-12-01T10:00:00.000Z', VERIFIED: '2026-12-01T10:00:06.000Z' },
    trail: [],
    ...overrides,
  };
}

function buildReceiptRecord(commitment: Partial<ReceiptRecord['commitment']> = {}): ReceiptRecord {
  return {
    receipt: {
      receiptId: RECEIPT,
      modelId: MODEL,
      inputHash: hex('b'),
      outputHash: hex('c'),
      nodeId: NODE,
      issuedAt: '2026-12-01T10:00:01.000Z',
      paymentRef: PAYMENT,
      settlementMode: 'batch',
      signer: hex('d', 20),
      signature: hex('e', 65),
    },
    digest: hex('f'),
    settlement: { status: 'settled', transaction: hex('1'), attempts: 1, updatedAt: '2026-12-01T10:00:03.000Z' },
    commitment: {
      kind: 'batch',
      status: 'committed',
      transaction: hex('2'),
      root: hex('3'),
      index: 2,
      size: 4,
      proof: [hex('4'), hex('5')],
      ...commitment,
    },
  };
}

/** The line holding `label`, with its label/value gap collapsed, so assertions do not depend on padding. */
function line(text: string, label: string): string {
  const found = text.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
  if (!found) throw new Error(`no line "${label}" in:\n${text}`);
  return found.trim().replace(/\s{2,}/g, '  ');
}

describe('renderAudit', () => {
  it('shows the input, the receipt with model, node, hashes and payment, the verdicts and the outcome', () => {
    const text = renderAudit(buildAudit());
    expect(text.split('\n')[0]).toBe('Decision procurement-REQ-1  (procurement)');
    expect(line(text, 'requisition')).toBe('requisition  REQ-1');
    expect(line(text, 'quantity')).toBe('quantity  300');
    expect(line(text, 'budget')).toBe('budget  20000 USDC');
    expect(line(text, 'receipt')).toBe(`receipt  ${RECEIPT}`);
    expect(line(text, 'model id')).toBe(`model id  ${MODEL}`);
    expect(line(text, 'node')).toBe(`node  ${NODE} at http://127.0.0.1:8402`);
    expect(line(text, 'input hash')).toBe(`input hash  ${hex('b')}`);
    expect(line(text, 'output hash')).toBe(`output hash  ${hex('c')}`);
    expect(line(text, 'payment')).toBe(`payment  ${PAYMENT}`);
    expect(line(text, 'settlement')).toBe('settlement  pending (when paid)');
    expect(line(text, 'attestation')).toBe('attestation  pass');
    expect(line(text, 'purchase_order.reserved')).toBe('purchase_order.reserved  PO-7  at 2026-12-01T10:00:02.000Z');
    expect(line(text, 'approval')).toBe('approval  not required');
    expect(text).toMatch(/Outcome\n {2}status {2}VERIFIED\n$/);
  });

  it('aligns the values of an attempt (receipt, payment, verdicts) in one column', () => {
    const lines = renderAudit(buildAudit()).split('\n');
    const column = (label: string, value: string) =>
      lines.find((l) => l.trimStart().startsWith(`${label} `))?.indexOf(value);
    const receipt = column('receipt', RECEIPT);
    expect(receipt).toBeGreaterThan('    receipt'.length);
    expect(column('payment', PAYMENT)).toBe(receipt);
    expect(column('attestation', 'pass')).toBe(receipt);
  });

  it('takes settlement and the batch commitment (root, leaf, proof) from the node when it was asked', () => {
    const receipts = new Map<string, ReceiptLookup>([[RECEIPT, { ok: true, record: buildReceiptRecord() }]]);
    const text = renderAudit(buildAudit(), { receipts });
    expect(line(text, 'settlement')).toBe(`settlement  settled  tx ${hex('1')}`);
    expect(line(text, 'mode')).toBe('mode  batch settlement');
    expect(line(text, 'commitment')).toBe(
      `commitment  batch committed  tx ${hex('2')}  Merkle root ${hex('3')}  leaf 2 of 4  proof [${hex('4')}, ${hex('5')}]`,
    );
  });

  it('says why settlement and commitment are unknown when the node could not be asked', () => {
    const receipts = new Map<string, ReceiptLookup>([
      [RECEIPT, { ok: false, error: 'node http://127.0.0.1:8402 not reachable (ECONNREFUSED)' }],
    ]);
    expect(line(renderAudit(buildAudit(), { receipts }), 'commitment')).toBe(
      'commitment  unknown: node http://127.0.0.1:8402 not reachable (ECONNREFUSED)',
    );
  });

  it('shows a failed check with its reason, the compensations with their outcomes and the rollback reason', () => {
    const text = renderAudit(
      buildAudit({
        status: 'ROLLED_BACK',
        verifications: [
          {
            receiptId: RECEIPT,
            checks: {
              attestation: { status: 'pass' },
              proof: { status: 'fail', reason: 'proof_output_mismatch' },
              reexecution: { status: 'timeout', reason: 'check_timeout' },
            },
          },
        ],
        compensations: [
          { action: 'cancelPurchaseOrder', reference: 'PO-7', at: '2026-12-01T10:00:07.000Z', outcome: 'done' },
          {
            action: 'disputePayment',
            reference: PAYMENT,
            at: '2026-12-01T10:00:08.000Z',
            outcome: 'failed',
            error: 'registry reverted',
          },
        ],
        outcome: { status: 'ROLLED_BACK', failedCheck: 'proof', reason: 'fail: proof_output_mismatch (receipt 0xaa)' },
      }),
    );
    expect(line(text, 'proof')).toBe('proof  fail  proof_output_mismatch');
    expect(line(text, 'reexecution')).toBe('reexecution  timeout  check_timeout');
    expect(line(text, 'cancelPurchaseOrder')).toBe('cancelPurchaseOrder  PO-7  done  at 2026-12-01T10:00:07.000Z');
    expect(line(text, 'disputePayment')).toBe(
      `disputePayment  ${PAYMENT}  failed  registry reverted  at 2026-12-01T10:00:08.000Z`,
    );
    expect(line(text, 'failed check')).toBe('failed check  proof');
    expect(line(text, 'reason')).toBe('reason  fail: proof_output_mismatch (receipt 0xaa)');
  });

  it('shows an earlier attempt (receipt, verdict, compensations, why it ended) before the current one', () => {
    const earlierReceipt = hex('9');
    const text = renderAudit(
      buildAudit({
        attempts: 2,
        previousAttempts: [
          {
            attempt: 1,
            outcome: { status: 'ROLLED_BACK', failedCheck: 'reexecution', reason: 'fail: reexecution_output_mismatch' },
            inferences: [
              {
                receiptId: earlierReceipt,
                modelId: MODEL,
                nodeId: '0xbad',
                paymentRef: 'eip155:31337/0xtoken/0xpayer/0x02',
              },
            ],
            actions: [{ action: 'purchase_order.reserved', reference: 'PO-6', at: '2026-12-01T09:59:00.000Z' }],
            verifications: [
              {
                receiptId: earlierReceipt,
                checks: {
                  attestation: { status: 'pass' },
                  proof: { status: 'pass' },
                  reexecution: { status: 'fail', reason: 'reexecution_output_mismatch' },
                },
              },
            ],
            compensations: [{ action: 'flagNode', reference: '0xbad', outcome: 'done' }],
          },
        ],
      }),
    );
    const earlier = text.indexOf('Attempt 1 (earlier, re-decided)');
    const current = text.indexOf('Attempt 2 (current)');
    expect(earlier).toBeGreaterThan(0);
    expect(current).toBeGreaterThan(earlier);
    const earlierPart = text.slice(earlier, current);
    expect(earlierPart).toContain(`receipt ${earlierReceipt}`);
    expect(line(earlierPart, 'reexecution')).toBe('reexecution  fail  reexecution_output_mismatch');
    expect(line(earlierPart, 'flagNode')).toBe('flagNode  0xbad  done');
    expect(line(earlierPart, 'ended')).toBe(
      'ended  ROLLED_BACK  reexecution failed  fail: reexecution_output_mismatch',
    );
  });

  it('says a verdict is awaited while the decision verifies, and that it has not finished', () => {
    const text = renderAudit(buildAudit({ status: 'VERIFYING', verifications: [], outcome: undefined }));
    expect(line(text, 'verdict')).toBe('verdict  waiting for the verifier');
    expect(text).toMatch(/Outcome\n {2}status {2}VERIFYING \(not finished\)\n$/);
  });

  it('summarises a routing input by lane, load and routes', () => {
    const text = renderAudit(
      buildAudit({
        kind: 'routing',
        decisionId: 'routing-SHP-1',
        input: {
          shipmentId: 'SHP-1',
          origin: 'DE-HAM',
          destination: 'PL-WAW',
          weightKg: 8200,
          hazmat: true,
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
          ],
        },
      }),
    );
    expect(line(text, 'lane')).toBe('lane  DE-HAM → PL-WAW');
    expect(line(text, 'load')).toBe('load  8200 kg, hazmat');
    expect(line(text, 'routes')).toBe('routes  road-direct (baltic-trucking, road, 1450)');
  });

  it('writes no escape codes without colour, and colours statuses with it', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(renderAudit(buildAudit())).not.toMatch(ansi);
    const coloured = renderAudit(buildAudit(), { color: true });
    expect(coloured).toContain('\u001b[32mVERIFIED\u001b[39m');
  });
});
