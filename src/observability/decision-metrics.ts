// Decision metrics, recorded from the lifecycle events the worker publishes (workflows cannot do I/O, and the events
// carry the workflow's own times): decisions by kind and status, the fast path (decision started → acted) and the
// time to verdict (acted → verified, rolled back or failed). Metric names and labels are listed in DECISION_METRICS.
import type { DecisionEvent } from '../contracts/events';
import { LONG_BUCKETS_MS, type Metrics, type MetricsOptions } from './metrics';

export const DECISION_METRICS = {
  decisions: 'decisions_total',
  fastPath: 'decision_fast_path_ms',
  timeToVerdict: 'decision_time_to_verdict_ms',
} as const;

export const DECISION_METRICS_OPTIONS: Required<Pick<MetricsOptions, 'help' | 'buckets'>> = {
  help: {
    [DECISION_METRICS.decisions]:
      'Decision lifecycle events by decision kind and status (acted, verified, rolled_back, failed, awaiting_approval, escalated).',
    [DECISION_METRICS.fastPath]:
      'Fast path of a decision: from the start of its workflow to decision.acted (pay, infer, approve when needed, act).',
    [DECISION_METRICS.timeToVerdict]:
      'From decision.acted to the verification outcome (decision.verified, decision.rolled_back or decision.failed).',
  },
  buckets: { [DECISION_METRICS.fastPath]: LONG_BUCKETS_MS, [DECISION_METRICS.timeToVerdict]: LONG_BUCKETS_MS },
};

const OUTCOMES = new Set(['decision.verified', 'decision.rolled_back', 'decision.failed']);

export type DecisionMetricsRecorder = { record(event: DecisionEvent): Promise<void> };

/**
 * `startedAt` answers when a decision's workflow started (Temporal describe); undefined skips the fast-path sample.
 * Events are deduplicated by their stable id (a retried publish repeats it), and events that happened before
 * `notBefore` (history replayed to a new consumer group) are not counted: the metrics describe what happened while
 * this process ran. Acted times are remembered for the last `capacity` decisions.
 */
export function createDecisionMetricsRecorder(
  metrics: Metrics,
  options: { startedAt(decisionId: string): Promise<Date | undefined>; notBefore?: Date; capacity?: number },
): DecisionMetricsRecorder {
  const capacity = options.capacity ?? 10_000;
  const seen = new Set<string>();
  const actedAt = new Map<string, number>();
  // Oldest first: Sets and Maps iterate in insertion order, so the first key is the one to forget.
  const forgetOldest = (collection: Set<string> | Map<string, number>) => {
    if (collection.size > capacity) collection.delete(collection.keys().next().value as string);
  };

  return {
    async record(event) {
      const time = Date.parse(event.time);
      if (Number.isNaN(time) || (options.notBefore && time < options.notBefore.getTime())) return;
      if (seen.has(event.id)) return;
      forgetOldest(seen.add(event.id));
      const { kind, decisionId, attempt } = event.data;
      metrics.count(DECISION_METRICS.decisions, { kind, status: event.type.replace(/^decision\./, '') });
      // One acted per attempt: a re-decision acts again, and its verdict is timed from its own act.
      const attemptKey = `${decisionId}/${attempt}`;
      if (event.type === 'decision.acted') {
        forgetOldest(actedAt.set(attemptKey, time));
        const started = await options.startedAt(decisionId).catch(() => undefined);
        if (started) metrics.observeMs(DECISION_METRICS.fastPath, Math.max(0, time - started.getTime()), { kind });
        return;
      }
      const acted = actedAt.get(attemptKey);
      if (OUTCOMES.has(event.type) && acted !== undefined) {
        actedAt.delete(attemptKey);
        metrics.observeMs(DECISION_METRICS.timeToVerdict, Math.max(0, time - acted), {
          kind,
          outcome: event.type.replace(/^decision\./, ''),
        });
      }
    },
  };
}
