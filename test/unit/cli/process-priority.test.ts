// lowerProcessPriority lowers every thread of the process, not only the calling one (on Linux a nice value belongs to
// a thread). Run in a child process: a nice value once raised cannot be lowered again without privileges.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '../../..');

const CHILD = `
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');
const { lowerProcessPriority } = require('./src/cli/process-priority');
const quiet = { info() {}, warn() {} };
// A thread started before the priority is lowered, like V8's helpers and the module loader's thread.
const early = new Worker('setInterval(() => {}, 1000)', { eval: true });
early.once('online', () => {
  lowerProcessPriority(Number(process.env.TARGET_NICE), quiet);
  const nices = fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
  console.log(JSON.stringify(nices));
  process.exit(0);
});
`;

const linuxOnly = process.platform === 'linux' ? it : it.skip;

linuxOnly('lowers the threads started before it as well as the calling one', () => {
  // Above the runner's own nice (an unprivileged process cannot go back down), so the change is visible.
  const target = Math.min(19, os.getPriority() + 5);
  expect(target).toBeGreaterThan(os.getPriority());
  const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', CHILD], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, TARGET_NICE: String(target) },
  });
  const nices = JSON.parse(output.trim().split('\n').pop() as string) as number[];
  expect(nices.length).toBeGreaterThan(2);
  expect(nices.filter((nice) => nice !== target)).toEqual([]);
});
