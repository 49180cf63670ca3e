// Worker metrics from an activity interceptor: every activity's duration and outcome, by activity type. The error
// label is the failure's class name (the stable names retry policies match on), so it stays a small set.
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { LONG_BUCKETS_MS, type Metrics, type MetricsOptions } from './metrics';

export const ACTIVITY_METRICS = {
  activities: 'worker_activities_total',
  duration: 'worker_activity_ms',
} as const;

export const ACTIVITY_METRICS_OPTIONS: Required<Pick<MetricsOptions, 'help' | 'buckets'>> = {
  help: {
    [ACTIVITY_METRICS.activities]:
      'Activity attempts by activity type and outcome (completed, failed) with the failure class name.',
    [ACTIVITY_METRICS.duration]: 'Duration of one activity attempt, by activity type and outcome.',
  },
  buckets: { [ACTIVITY_METRICS.duration]: LONG_BUCKETS_MS },
};

export function activityMetricsInterceptor(metrics: Metrics): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        const started = performance.now();
        try {
          const result = await next(input);
          metrics.count(ACTIVITY_METRICS.activities, { activity, outcome: 'completed', error: '' });
          metrics.observeMs(ACTIVITY_METRICS.duration, performance.now() - started, { activity, outcome: 'completed' });
          return result;
        } catch (error) {
          metrics.count(ACTIVITY_METRICS.activities, {
            activity,
            outcome: 'failed',
            error: error instanceof Error ? error.name : 'unknown',
          });
          metrics.observeMs(ACTIVITY_METRICS.duration, performance.now() - started, { activity, outcome: 'failed' });
          throw error;
        }
      },
    };
    return { inbound };
  };
}
