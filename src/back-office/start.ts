// Starts the development ERP/TMS service: opens (and replays) the journal under <stateDir>/back-office, then listens.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { createBackOfficeApp } from './http-app';
import { openBackOfficeStore } from './store';

export type BackOfficeService = { url: string; journalFile: string; close(): Promise<void> };

export type StartBackOfficeOptions = {
  config: Pick<EngineConfig, 'ports' | 'stateDir'>;
  logger: Logger;
  /** Defaults to config.ports.erp; 0 picks a free port (tests). */
  port?: number;
  /** Defaults to config.stateDir. */
  stateDir?: string;
  /** Clock for history timestamps (tests). */
  now?: () => Date;
};

export function journalFileOf(stateDir: string): string {
  return path.join(stateDir, 'back-office', 'journal.jsonl');
}

export async function startBackOffice(options: StartBackOfficeOptions): Promise<BackOfficeService> {
  const { config, logger } = options;
  const store = await openBackOfficeStore({
    file: journalFileOf(options.stateDir ?? config.stateDir),
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  const app = createBackOfficeApp({ store, logger });
  const host = config.ports.host;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? config.ports.erp, host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, journal: store.journalFile }, 'erp/tms service listening');
  return {
    url,
    journalFile: store.journalFile,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from clients would hold close() open until they time out.
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
