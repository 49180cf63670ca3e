// Verifier metrics, recorded from each verdict it reaches: verdicts by outcome, failed checks by check and reason
// (the stable reason codes of src/verification/reasons.ts, `check_timeout` for a check that overran), each check's
// duration, and the job's time to verdict as the verifier sees it (job accepted → verdict published).
import type { Verdict } from '../contracts/verdict';
import { LONG_BUCKETS_MS, type Metrics, type MetricsOptions } from './metrics';

export const VERIFICATION_METRICS = {
  verdicts: 'verifier_verdicts_total',
  failures: 'verification_failures_total',
  checkDuration: 'verifier_check_ms',
  timeToVerdict: 'verifier_time_to_verdict_ms',
} as const;

export const VERIFICATION_METRICS_OPTIONS: Required<Pick<MetricsOptions, 'help' | 'buckets'>> = {
  help: {
    [VERIFICATION_METRICS.verdicts]: 'Verdicts reached, by outcome (verified true/false).',
    [VERIFICATION_METRICS.failures]:
      'Checks that did not pass, by check (attestation, proof, reexecution) and stable reason code.',
    [VERIFICATION_METRICS.checkDuration]:
      'Duration of one check of a verification job, by check and status (pass, fail, timeout).',
    [VERIFICATION_METRICS.timeToVerdict]: 'From a verification job accepted to its verdict published, by outcome.',
  },
  buckets: {
    [VERIFICATION_METRICS.checkDuration]: LONG_BUCKETS_MS,
    [VERIFICATION_METRICS.timeToVerdict]: LONG_BUCKETS_MS,
  },
};

export function recordVerdict(metrics: Metrics, verdict: Verdict, jobMs: number): void {
  const verified = String(verdict.verified);
  metrics.count(VERIFICATION_METRICS.verdicts, { verified });
  metrics.observeMs(VERIFICATION_METRICS.timeToVerdict, jobMs, { verified });
  for (const [check, result] of Object.entries(verdict.checks)) {
    if (result.durationMs !== undefined)
      metrics.observeMs(VERIFICATION_METRICS.checkDuration, result.durationMs, { check, status: result.status });
    if (result.status !== 'pass')
      metrics.count(VERIFICATION_METRICS.failures, { check, reason: result.reason ?? result.status });
  }
}
