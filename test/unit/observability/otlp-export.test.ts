// PROOFPATH_TRACING=otlp: spans leave the process over OTLP/HTTP to `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`, named
// by the process's service.name. A local HTTP server stands in for the collector.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inSpan, startTracing } from '../../../src/observability';
import { testConfig } from '../../support/test-config';

it('posts finished spans to the collector at /v1/traces with the service name and span names', async () => {
  const received: Array<{ path: string; body: string }> = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  const tracing = startTracing(
    testConfig({
      PROOFPATH_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'proofpath-test-bridge',
    }),
    'bridge',
  );
  try {
    expect(tracing?.serviceName).toBe('proofpath-test-bridge');
    await inSpan('process logistics.events', {}, async () => undefined);
    await tracing?.forceFlush();
  } finally {
    await tracing?.shutdown();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  }
  expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
  const body = received[0]?.body ?? '';
  expect(body).toContain('"stringValue":"proofpath-test-bridge"');
  expect(body).toContain('"name":"process logistics.events"');
});
