// Stops the stack only if the global setup started it.
import { loadConfig } from '../../src/config';
import { stackDown } from '../../src/devstack/stack';
import { createLogger } from '../../src/log';

export default async function globalTeardown(): Promise<void> {
  if (!(globalThis as { __PROOFPATH_STARTED_STACK__?: boolean }).__PROOFPATH_STARTED_STACK__) return;
  const config = loadConfig();
  await stackDown(config, createLogger('test-teardown', { ...config, logFormat: 'json', logLevel: 'warn' }));
}
