// Brings the embedded stack up when it is not running, so integration tests always talk to real services, and
// bundles the workflow code once for the whole run (workers in every test file reuse the bundle). That bundle has no
// tracing interceptors; a test that traces bundles its own with them (test/integration/decisions/support/engine.ts).
// A stack a test run started is stopped by the teardown of the last test run still using it (stack-users.ts); a stack
// that was already running when tests began is left as it was.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { provisionStack } from '../../src/devstack/provision';
import { stackStatus, stackUp } from '../../src/devstack/stack';
import { createLogger } from '../../src/log';
import { createHumanStepReporter } from '../../src/terminal';
import { markStackStartedByTests, registerStackUser } from './stack-users';
import { bundleDecisionWorkflows } from '../../src/worker';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('test-setup', { ...config, logFormat: 'json', logLevel: 'warn' });
  registerStackUser(config.stateDir);
  const before = await stackStatus(config);
  const alreadyUp = before.every((s) => s.state === 'running' || s.state === 'external');
  // A first run builds and sets up for minutes: show each step (on stderr, beside jest's own output).
  const steps = createHumanStepReporter(process.stderr);
  if (!alreadyUp) {
    await stackUp(config, logger, { steps });
    markStackStartedByTests(config.stateDir);
  }
  await provisionStack(config, logger, steps);

  const code = await bundleDecisionWorkflows({ traced: false, onError: (message) => logger.error(message) });
  const bundleFile = path.join(config.stateDir, 'test', `workflow-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
  fs.writeFileSync(bundleFile, code);
  // Jest starts its test workers after the global setup, so they inherit this variable.
  process.env.PROOFPATH_TEST_WORKFLOW_BUNDLE = bundleFile;
}
