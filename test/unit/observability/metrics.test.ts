// Prometheus exposition of a component's metrics: counters and millisecond histograms with their labels.
import { createMetrics } from '../../../src/observability/metrics';

describe('metrics', () => {
  it('renders counters and histograms in the Prometheus text format', async () => {
    const metrics = createMetrics({ help: { node_infer_ms: 'Infer request latency as served.' } });
    metrics.count('node_requests_total', { route: 'infer', status: '200' });
    metrics.count('node_requests_total', { route: 'infer', status: '200' }, 2);
    metrics.count('node_requests_total', { route: 'infer', status: '402' });
    metrics.observeMs('node_infer_ms', 3.5, { mode: 'deferred' });
    metrics.observeMs('node_infer_ms', 70, { mode: 'deferred' });

    const { contentType, text } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# HELP node_infer_ms Infer request latency as served.');
    expect(text).toContain('# TYPE node_requests_total counter');
    expect(text).toMatch(/^node_requests_total\{route="infer",status="200"\} 3$/m);
    expect(text).toMatch(/^node_requests_total\{route="infer",status="402"\} 1$/m);
    expect(text).toMatch(/^node_infer_ms_bucket\{le="5",mode="deferred"\} 1$/m);
    expect(text).toMatch(/^node_infer_ms_bucket\{le="100",mode="deferred"\} 2$/m);
    expect(text).toMatch(/^node_infer_ms_count\{mode="deferred"\} 2$/m);
    expect(text).toMatch(/^node_infer_ms_sum\{mode="deferred"\} 73\.5$/m);
    expect(metrics.samples('node_infer_ms')).toEqual([3.5, 70]);
  });

  it('adds the process metrics only when asked, and keeps registries of two components apart', async () => {
    const withProcess = createMetrics({ processMetrics: true });
    const plain = createMetrics();
    plain.count('facilitator_settle_total', { success: 'true' });
    expect((await withProcess.render()).text).toContain('process_cpu_user_seconds_total');
    const { text } = await plain.render();
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('node_requests_total');
  });
});
