// The /metrics listener of the worker and the bridge, and the activity metrics the worker records through it.
import type { ActivityExecuteInput } from '@temporalio/worker';
import {
  ACTIVITY_METRICS_OPTIONS,
  activityMetricsInterceptor,
  createMetrics,
  startMetricsServer,
  startProcessMetrics,
} from '../../../src/observability';
import { testLogger } from '../../support/test-config';

describe('metrics listener', () => {
  it('serves the registry at GET /metrics in the Prometheus text format, health at /healthz, and nothing else', async () => {
    const metrics = createMetrics();
    metrics.count('bridge_dead_letters_total', { topic: 'in', reason: 'malformed_json' });
    const server = await startMetricsServer({
      metrics,
      host: '127.0.0.1',
      port: 0,
      logger: testLogger(),
      component: 'bridge',
    });
    try {
      const scraped = await fetch(`${server.url}/metrics`);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await scraped.text()).toMatch(/^bridge_dead_letters_total\{topic="in",reason="malformed_json"\} 1$/m);
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', component: 'bridge' });
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('opens no listener when the configured port is 0, but still gives the process a registry with process metrics', async () => {
    const observed = await startProcessMetrics({
      component: 'worker',
      host: '127.0.0.1',
      port: 0,
      logger: testLogger(),
      families: [ACTIVITY_METRICS_OPTIONS],
    });
    expect(observed.url).toBeUndefined();
    expect((await observed.metrics.render()).text).toContain('process_cpu_user_seconds_total');
    await observed.close();
  });
});

describe('activity metrics', () => {
  const ctx = { info: { activityType: 'payAndInfer' } } as Parameters<ReturnType<typeof activityMetricsInterceptor>>[0];
  const input = {} as ActivityExecuteInput;

  it('counts completed and failed attempts by activity, with the failure class name, and times them', async () => {
    const metrics = createMetrics(ACTIVITY_METRICS_OPTIONS);
    const { inbound } = activityMetricsInterceptor(metrics)(ctx);
    await expect(inbound?.execute?.(input, async () => 'ok')).resolves.toBe('ok');
    class PaymentRejectedError extends Error {
      override readonly name = 'PaymentRejectedError';
    }
    await expect(inbound?.execute?.(input, async () => Promise.reject(new PaymentRejectedError('no')))).rejects.toThrow(
      'no',
    );
    const { text } = await metrics.render();
    expect(text).toMatch(/^worker_activities_total\{activity="payAndInfer",outcome="completed",error=""\} 1$/m);
    expect(text).toMatch(
      /^worker_activities_total\{activity="payAndInfer",outcome="failed",error="PaymentRejectedError"\} 1$/m,
    );
    expect(text).toMatch(/^worker_activity_ms_count\{activity="payAndInfer",outcome="failed"\} 1$/m);
  });
});
