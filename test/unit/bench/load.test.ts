// A load step counts at the lower of its acted and judged rates: a lane whose verification falls behind its fast path
// is saturated there, however fast it acted, because its verdict backlog would grow without bound.
import { completionRate, judgeStep, type OfferedStep } from '../../../bench/e2e/load';

/** Times (ms) of `count` completions, one every `everyMs`, from `fromMs`. */
const evenly = (count: number, everyMs: number, fromMs = 0) =>
  Array.from({ length: count }, (_, i) => fromMs + i * everyMs);

function buildStep(overrides: Partial<OfferedStep> = {}): OfferedStep {
  const fastPath = { count: 40, p50Ms: 300, p90Ms: 400, p99Ms: 500, maxMs: 500 };
  return { offeredPerSec: 4, sent: 40, acted: 40, actedPerSec: 4, fastPath, actsBehind: false, ...overrides };
}

describe('bench load steps', () => {
  it('counts completions per second between the first and the last one, whatever the latency before them', () => {
    expect(completionRate(evenly(41, 250, 5_000))).toBeCloseTo(4, 5);
    expect(completionRate([1_000])).toBe(0);
    expect(completionRate([])).toBe(0);
  });

  it('keeps a step whose verdicts keep pace with its acts, counted at the lower of the two rates', () => {
    const step = judgeStep(buildStep(), evenly(40, 260, 700));
    expect(step.verdictsBehind).toBe(false);
    expect(step.saturated).toBe(false);
    expect(step.completedPerSec).toBeCloseTo(1000 / 260, 5);
  });

  it('saturates a step whose verification falls behind, and counts it at the verdict rate', () => {
    // Acted at 4/s for 10 s, judged at 2/s: the backlog grows by 2 decisions every second.
    const step = judgeStep(buildStep(), evenly(40, 500, 700));
    expect(step.verdictsBehind).toBe(true);
    expect(step.saturated).toBe(true);
    expect(step.verdictsPerSec).toBeCloseTo(2, 1);
    expect(step.completedPerSec).toBeCloseTo(2, 1);
  });

  it('saturates a step whose acts were not all judged within the verdict wait', () => {
    const step = judgeStep(buildStep(), evenly(30, 250, 700));
    expect(step.verdicts).toBe(30);
    expect(step.verdictsBehind).toBe(true);
  });

  it('does not call verification behind for keeping pace with the offer while bunched acts outran it', () => {
    // Acts bunched after a stall completed at 5/s although 4/s was offered; verdicts came at the offered 4/s.
    const step = judgeStep(buildStep({ actedPerSec: 5 }), evenly(40, 250, 700));
    expect(step.verdictsBehind).toBe(false);
    expect(step.completedPerSec).toBeCloseTo(4, 5);
  });

  it('does not call verification behind when its verdicts all came at one instant', () => {
    const step = judgeStep(buildStep({ acted: 3, sent: 3 }), [900, 900, 900]);
    expect(step.verdictsBehind).toBe(false);
    expect(step.completedPerSec).toBe(4);
  });

  it('keeps the fast path saturated even when every verdict came in', () => {
    const step = judgeStep(buildStep({ actedPerSec: 2.5, actsBehind: true }), evenly(40, 400, 700));
    expect(step.verdictsBehind).toBe(false);
    expect(step.saturated).toBe(true);
    expect(step.completedPerSec).toBeCloseTo(2.5, 5);
  });
});
