// Which jest runs are using the embedded stack, so one run's teardown never stops a stack another run still uses.
// Each run registers its pid under <stateDir>/test/runs; a stack brought up by any test run is marked, and the last
// live run to finish stops it. A stack a developer started (no mark) is never stopped by tests.
import fs from 'node:fs';
import path from 'node:path';

function runsDir(stateDir: string): string {
  return path.join(stateDir, 'test', 'runs');
}

function markFile(stateDir: string): string {
  return path.join(stateDir, 'test', 'stack-started-by-tests');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Registers this run before it looks at the stack, so no other run's teardown stops it while this one starts. */
export function registerStackUser(stateDir: string): void {
  fs.mkdirSync(runsDir(stateDir), { recursive: true });
  fs.writeFileSync(path.join(runsDir(stateDir), String(process.pid)), '');
}

export function markStackStartedByTests(stateDir: string): void {
  fs.writeFileSync(markFile(stateDir), String(process.pid));
}

/** Unregisters this run; true when the stack should now be stopped (tests started it and no other run is live). */
export function releaseStackUser(stateDir: string): boolean {
  fs.rmSync(path.join(runsDir(stateDir), String(process.pid)), { force: true });
  const others = fs.existsSync(runsDir(stateDir))
    ? fs
        .readdirSync(runsDir(stateDir))
        .map(Number)
        .filter((pid) => Number.isInteger(pid) && pid !== process.pid && alive(pid))
    : [];
  if (others.length > 0 || !fs.existsSync(markFile(stateDir))) return false;
  fs.rmSync(markFile(stateDir), { force: true });
  return true;
}
