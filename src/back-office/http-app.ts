// The express app of the development ERP/TMS service: /erp and /tms routers, /healthz, and one error shape
// `{error: {code, message, issues?}}` for everything, malformed JSON included, so no input can crash it.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log';
import { erpRouter } from './erp-routes';
import { sendError } from './http-handlers';
import type { BackOfficeStore } from './store';
import { tmsRouter } from './tms-routes';

export function createBackOfficeApp(deps: { store: BackOfficeStore; logger: Logger }): express.Express {
  const { store, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.use('/erp', erpRouter(store));
  app.use('/tms', tmsRouter(store));
  app.use((req: Request, res: Response) =>
    sendError(res, 404, 'route_not_found', `no route ${req.method} ${req.path}`),
  );
  app.use((error: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', 'body is not valid JSON');
    if (error.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'body is larger than 64kb');
    // Other body-parser refusals (unsupported charset or encoding) carry their own 4xx status.
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500)
      return sendError(res, error.status, 'invalid_request', error.message);
    logger.error({ err: error, method: req.method, path: req.path }, 'back-office request failed');
    return sendError(res, 500, 'internal_error', 'internal error');
  });
  return app;
}
