// Routes the Temporal SDK's core and worker logs into the process's pino logger. Must run before any Temporal
// client, worker or test environment touches the runtime (Runtime.install can only be called once per process).
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let installed = false;

export function installTemporalRuntimeLogger(logger: Logger): void {
  if (installed) return;
  installed = true;
  const temporalLogger = logger.child({ lib: 'temporal-sdk' });
  const level = LEVELS[logger.level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const meta = {
        ...(entry.meta ?? {}),
        sdkComponent: (entry.meta as { sdkComponent?: string } | undefined)?.sdkComponent,
      };
      switch (entry.level) {
        case 'TRACE':
          temporalLogger.trace(meta, entry.message);
          break;
        case 'DEBUG':
          temporalLogger.debug(meta, entry.message);
          break;
        case 'INFO':
          temporalLogger.info(meta, entry.message);
          break;
        case 'WARN':
          temporalLogger.warn(meta, entry.message);
          break;
        default:
          temporalLogger.error(meta, entry.message);
      }
    }),
  });
}
