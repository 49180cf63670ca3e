// Decision metrics from lifecycle events: counts by kind and status, fast path from the workflow's start, time to
// verdict from acting, and what is deliberately not counted (duplicates, history from before the process started).
import { createDecisionMetricsRecorder, createMetrics, DECISION_METRICS_OPTIONS } from '../../../src/observability';
import { buildDecisionEvent } from '../../../src/kafka/decision-events';
import type { DecisionEventType } from '../../../src/contracts/events';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function event(
  type: DecisionEventType,
  timeMs: number,
  overrides: { decisionId?: string; kind?: 'procurement' | 'routing'; attempt?: number } = {},
) {
  return buildDecisionEvent(
    {
      type,
      time: at(timeMs),
      decisionId: overrides.decisionId ?? 'procurement-REQ-1',
      kind: overrides.kind ?? 'procurement',
      attempt: overrides.attempt ?? 1,
      status: 'X',
    },
    'urn:test',
  );
}

function setUp(startedAt: Record<string, number> = { 'procurement-REQ-1': 0 }, notBefore?: Date) {
  const metrics = createMetrics(DECISION_METRICS_OPTIONS);
  const recorder = createDecisionMetricsRecorder(metrics, {
    startedAt: async (id) => (id in startedAt ? new Date(T0 + (startedAt[id] as number)) : undefined),
    notBefore,
  });
  return { metrics, recorder, text: async () => (await metrics.render()).text };
}

describe('decision metrics', () => {
  it('counts events by kind and status and times the fast path from the workflow start to decision.acted', async () => {
    const { recorder, text } = setUp({ 'procurement-REQ-1': 0, 'routing-SHP-1': 100 });
    await recorder.record(event('decision.acted', 1_200));
    await recorder.record(event('decision.acted', 400, { decisionId: 'routing-SHP-1', kind: 'routing' }));
    const out = await text();
    expect(out).toMatch(/^decisions_total\{kind="procurement",status="acted"\} 1$/m);
    expect(out).toMatch(/^decisions_total\{kind="routing",status="acted"\} 1$/m);
    expect(out).toMatch(/^decision_fast_path_ms_sum\{kind="procurement"\} 1200$/m);
    expect(out).toMatch(/^decision_fast_path_ms_sum\{kind="routing"\} 300$/m);
  });

  it('times the verdict from the act of the same attempt, by outcome', async () => {
    const { recorder, text } = setUp({ 'procurement-REQ-1': 0 });
    await recorder.record(event('decision.acted', 1_000));
    await recorder.record(event('decision.rolled_back', 41_000));
    await recorder.record(event('decision.acted', 50_000, { attempt: 2 }));
    await recorder.record(event('decision.verified', 80_000, { attempt: 2 }));
    const out = await text();
    expect(out).toMatch(/^decision_time_to_verdict_ms_sum\{kind="procurement",outcome="rolled_back"\} 40000$/m);
    expect(out).toMatch(/^decision_time_to_verdict_ms_sum\{kind="procurement",outcome="verified"\} 30000$/m);
    expect(out).toMatch(/^decisions_total\{kind="procurement",status="acted"\} 2$/m);
  });

  it('does not time a decision that failed before acting, nor count a republished event twice', async () => {
    const { recorder, text } = setUp();
    await recorder.record(event('decision.failed', 5_000));
    await recorder.record(event('decision.failed', 5_000));
    const out = await text();
    expect(out).toMatch(/^decisions_total\{kind="procurement",status="failed"\} 1$/m);
    expect(out).not.toContain('decision_time_to_verdict_ms_count');
  });

  it('skips events from before the process started, and the fast path of a decision Temporal no longer knows', async () => {
    const { recorder, text } = setUp({}, new Date(T0 + 10_000));
    await recorder.record(event('decision.acted', 9_999));
    await recorder.record(event('decision.acted', 12_000, { decisionId: 'procurement-REQ-2' }));
    const out = await text();
    expect(out).toMatch(/^decisions_total\{kind="procurement",status="acted"\} 1$/m);
    expect(out).not.toContain('decision_fast_path_ms_count');
  });
});
