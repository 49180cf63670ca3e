// Verifier metrics from verdicts: outcomes, failed checks by check and stable reason, check durations and job time.
import { createMetrics, recordVerdict, VERIFICATION_METRICS_OPTIONS } from '../../../src/observability';
import type { Verdict } from '../../../src/contracts/verdict';

function buildVerdict(checks: Partial<Verdict['checks']> = {}): Verdict {
  const pass = { status: 'pass' as const, durationMs: 40 };
  const all = { attestation: pass, proof: pass, reexecution: pass, ...checks };
  return {
    receiptId: '0xabc',
    decisionId: 'procurement-REQ-1',
    checks: all,
    verified: Object.values(all).every((c) => c.status === 'pass'),
    verifiedAt: '2026-12-01T10:00:00.000Z',
  };
}

describe('verification metrics', () => {
  it('counts failed checks by check and reason, a timeout under check_timeout, and nothing for passing checks', async () => {
    const metrics = createMetrics(VERIFICATION_METRICS_OPTIONS);
    recordVerdict(metrics, buildVerdict(), 900);
    recordVerdict(
      metrics,
      buildVerdict({
        attestation: { status: 'fail', reason: 'attestation_pcr_mismatch', durationMs: 12 },
        proof: { status: 'timeout', reason: 'check_timeout', durationMs: 60_000 },
      }),
      60_100,
    );
    const { text } = await metrics.render();
    expect(text).toMatch(/^verifier_verdicts_total\{verified="true"\} 1$/m);
    expect(text).toMatch(/^verifier_verdicts_total\{verified="false"\} 1$/m);
    expect(text).toMatch(/^verification_failures_total\{check="attestation",reason="attestation_pcr_mismatch"\} 1$/m);
    expect(text).toMatch(/^verification_failures_total\{check="proof",reason="check_timeout"\} 1$/m);
    expect(text).not.toContain('check="reexecution",reason');
    expect(text).toMatch(/^verifier_check_ms_count\{check="proof",status="timeout"\} 1$/m);
    expect(text).toMatch(/^verifier_check_ms_count\{check="reexecution",status="pass"\} 2$/m);
    expect(text).toMatch(/^verifier_time_to_verdict_ms_sum\{verified="false"\} 60100$/m);
  });
});
