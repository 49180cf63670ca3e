// One pino logger per process, tagged with its component; secrets are redacted by path wherever they appear.
import pino, { type Logger } from 'pino';
import type { EngineConfig } from '../config';

export type { Logger } from 'pino';

/** Paths pino censors on every line; tested in test/unit/log. */
export const REDACTED_PATHS = [
  'privateKey',
  '*.privateKey',
  '*.*.privateKey',
  'keys',
  '*.keys',
  'config.keys',
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'signature',
  'paymentSignature',
  'headers["payment-signature"]',
  'headers.authorization',
  '*.headers["payment-signature"]',
  '*.headers.authorization',
];

export type LoggerOptions = Pick<EngineConfig, 'mode' | 'logLevel' | 'logFormat'> & {
  /** Destination stream; defaults to stdout. Tests pass a buffer. */
  destination?: pino.DestinationStream;
};

export function createLogger(component: string, options: LoggerOptions): Logger {
  const pretty =
    options.logFormat === 'pretty' ||
    (options.logFormat === 'auto' && options.mode === 'development' && process.stdout.isTTY === true);
  const base = {
    level: options.logLevel,
    base: { component },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty)
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } });
  return pino(base);
}
