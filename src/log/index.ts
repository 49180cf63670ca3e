// Public surface of logging.
export { createLogger, REDACTED_PATHS, type Logger, type LoggerOptions } from './logger';
export { installTemporalRuntimeLogger } from './temporal-runtime';
