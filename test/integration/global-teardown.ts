// Stops the stack only if a test run started it and no other test run is still using it.
import { loadConfig } from '../../src/config';
import { stackDown } from '../../src/devstack/stack';
import { createLogger } from '../../src/log';
import { releaseStackUser } from './stack-users';

export default async function globalTeardown(): Promise<void> {
  const config = loadConfig();
  if (!releaseStackUser(config.stateDir)) return;
  await stackDown(config, createLogger('test-teardown', { ...config, logFormat: 'json', logLevel: 'warn' }));
}
