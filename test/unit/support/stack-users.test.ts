// The integration runs' stack sharing: the last live run stops a stack tests started, and only such a stack.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markStackStartedByTests, registerStackUser, releaseStackUser } from '../../integration/stack-users';

function stateDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stack-users-'));
}

it('keeps a test-started stack up while another live run uses it, and stops it after the last one', () => {
  const dir = stateDir();
  registerStackUser(dir);
  markStackStartedByTests(dir);
  // Another run, alive: this process's parent (jest's own runner) stands in for it.
  const other = path.join(dir, 'test', 'runs', String(process.ppid));
  fs.writeFileSync(other, '');
  expect(releaseStackUser(dir)).toBe(false);
  fs.rmSync(other);
  registerStackUser(dir);
  expect(releaseStackUser(dir)).toBe(true);
  expect(releaseStackUser(dir)).toBe(false); // the mark is gone: stopped once
});

it('ignores runs that died without their teardown, and never stops a stack tests did not start', () => {
  const dir = stateDir();
  registerStackUser(dir);
  fs.writeFileSync(path.join(dir, 'test', 'runs', '2147483646'), ''); // no such process
  expect(releaseStackUser(dir)).toBe(false); // no mark: a developer's stack
  registerStackUser(dir);
  markStackStartedByTests(dir);
  expect(releaseStackUser(dir)).toBe(true);
});
