// Prometheus exposition of a component's metrics: counters, gauges (also refreshed on scrape) and millisecond histograms.
import { combineMetricsOptions, createMetrics, LONG_BUCKETS_MS } from '../../../src/observability/metrics';

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

describe('gauges, collectors and buckets', () => {
  it('sets gauges, refreshes them from collectors at render, and forgets series a reset drops', async () => {
    const metrics = createMetrics();
    let lag = 7;
    metrics.addCollector(async () => {
      metrics.resetGauge('kafka_consumer_lag');
      metrics.set('kafka_consumer_lag', lag, { group: 'g', partition: String(lag) });
    });
    expect((await metrics.render()).text).toMatch(/^kafka_consumer_lag\{group="g",partition="7"\} 7$/m);
    lag = 2;
    const { text } = await metrics.render();
    expect(text).toMatch(/^kafka_consumer_lag\{group="g",partition="2"\} 2$/m);
    expect(text).not.toContain('partition="7"');
  });

  it('still renders when a collector fails, keeping the values it set before', async () => {
    const metrics = createMetrics();
    metrics.set('kafka_consumer_lag', 3, { group: 'g' });
    metrics.addCollector(async () => {
      throw new Error('broker unreachable');
    });
    expect((await metrics.render()).text).toMatch(/^kafka_consumer_lag\{group="g"\} 3$/m);
  });

  it('uses the buckets configured for a histogram and combines the options of several families', async () => {
    const metrics = createMetrics(
      combineMetricsOptions({ help: { a_ms: 'A.' } }, { buckets: { a_ms: LONG_BUCKETS_MS }, help: { b_total: 'B.' } }),
    );
    metrics.observeMs('a_ms', 45_000);
    metrics.count('b_total');
    const { text } = await metrics.render();
    expect(text).toContain('# HELP a_ms A.');
    expect(text).toContain('# HELP b_total B.');
    expect(text).toMatch(/^a_ms_bucket\{le="30000"\} 0$/m);
    expect(text).toMatch(/^a_ms_bucket\{le="60000"\} 1$/m);
    expect(text).not.toMatch(/le="2"\}/); // a request-scale bucket
  });
});
