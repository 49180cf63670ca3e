// Brings the embedded stack up when it is not running, so integration tests always talk to real services.
// A stack this setup started is stopped by the teardown; a stack that was already running is left as it was.
import { loadConfig } from '../../src/config';
import { provisionStack } from '../../src/devstack/provision';
import { stackStatus, stackUp } from '../../src/devstack/stack';
import { createLogger } from '../../src/log';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('test-setup', { ...config, logFormat: 'json', logLevel: 'warn' });
  const before = await stackStatus(config);
  const alreadyUp = before.every((s) => s.state === 'running' || s.state === 'external');
  if (!alreadyUp) await stackUp(config, logger);
  await provisionStack(config, logger);
  (globalThis as { __PROOFPATH_STARTED_STACK__?: boolean }).__PROOFPATH_STARTED_STACK__ = !alreadyUp;
}
