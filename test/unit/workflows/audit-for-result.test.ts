// The final audit in the workflow result: whole when small, shortened (tensors, then the trail, then the input) when
// it would come near Temporal's payload limits, always saying what was left out.
import type { DecisionAudit, InferenceRecord } from '../../../src/contracts/decision';
import { auditForResult } from '../../../workflows/audit-for-result';

const inference = (rows: number): InferenceRecord => ({
  step: 'supplier-risk#0',
  modelId: 'sha256:m',
  nodeId: 'node-a',
  nodeUrl: 'http://node',
  receiptId: 'r-1',
  inputHash: '0x1',
  outputHash: '0x2',
  paymentRef: 'p-1',
  rows: Array.from({ length: rows }, () => Array.from({ length: 16 }, (_, i) => i / 7)),
  outputs: Array.from({ length: rows }, () => [0.5]),
});

function buildAudit(overrides: Partial<DecisionAudit> = {}): DecisionAudit {
  return {
    decisionId: 'procurement-REQ-1',
    kind: 'procurement',
    status: 'VERIFIED',
    input: { requisitionId: 'REQ-1' },
    inferences: [inference(2)],
    actions: [],
    compensations: [],
    verifications: [],
    attempts: 1,
    timings: {},
    trail: [{ at: '2026-01-01T00:00:00.000Z', step: 'status', detail: { status: 'PAYING' } }],
    outcome: { status: 'VERIFIED', code: 'verified' },
    ...overrides,
  };
}

it('returns a small audit whole, without a clipped field', () => {
  const audit = buildAudit();
  expect(auditForResult(audit)).toEqual(audit);
});

it('drops tensor rows and outputs first when the audit is too large, keeping the receipts and hashes', () => {
  const audit = buildAudit({ inferences: [inference(400)] });
  const result = auditForResult(audit, 20_000);
  expect(JSON.stringify(audit).length).toBeGreaterThan(20_000);
  expect(result.inferences[0]).toMatchObject({
    receiptId: 'r-1',
    inputHash: '0x1',
    outputHash: '0x2',
    rows: [],
    outputs: [],
  });
  expect(result.trail).toEqual(audit.trail);
  expect(result.clipped).toEqual(['inferences.rows', 'inferences.outputs']);
  expect(JSON.stringify(result).length).toBeLessThanOrEqual(20_000);
});

it('then keeps only the newest trail entries, and as a last resort drops the input and the trail', () => {
  const trail = Array.from({ length: 1_000 }, (_, i) => ({
    at: '2026-01-01T00:00:00.000Z',
    step: 'note',
    detail: { i, text: 'x'.repeat(50) },
  }));
  const trimmed = auditForResult(buildAudit({ trail }), 40_000);
  expect(trimmed.trail).toHaveLength(200);
  expect(trimmed.trail[0]?.detail).toMatchObject({ i: 800 });
  expect(trimmed.clipped).toContain('trail (kept the last 200 of 1000)');

  const huge = auditForResult(buildAudit({ input: { blob: 'y'.repeat(50_000) }, trail }), 40_000);
  expect(huge).toMatchObject({
    input: null,
    trail: [],
    clipped: ['inferences.rows', 'inferences.outputs', 'input', 'trail'],
  });
  expect(huge.outcome).toEqual({ status: 'VERIFIED', code: 'verified' });
});
