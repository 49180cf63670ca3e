// A small HTTP listener serving GET /metrics (and /healthz) for processes that have no HTTP server of their own: the
// worker and the bridge. (Their callers skip it when the configured port is 0; a port of 0 here picks a free one.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import type { Metrics } from './metrics';

export type MetricsServer = { url: string; close(): Promise<void> };

export async function startMetricsServer(options: {
  metrics: Metrics;
  host: string;
  port: number;
  logger: Logger;
  component: string;
}): Promise<MetricsServer> {
  const { metrics, logger } = options;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    if (path === '/healthz')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok', component: options.component }));
    if (path !== '/metrics')
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ reason: 'not_found', message: `GET ${path}` }));
    metrics.render().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (error: unknown) => {
        logger.warn({ err: error }, 'metrics could not be rendered');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  logger.info({ url: `${url}/metrics` }, 'metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
