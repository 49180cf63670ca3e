// The engine configuration as tests see it: development defaults with quiet logs.
import { loadConfig, type EngineConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/log';

export function testConfig(overrides: NodeJS.ProcessEnv = {}): EngineConfig {
  return loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LOG_FORMAT: 'json', ...overrides });
}

export function testLogger(component = 'test', config: EngineConfig = testConfig()): Logger {
  return createLogger(component, config);
}
