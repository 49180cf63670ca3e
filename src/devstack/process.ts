// Starting, finding and stopping the stack's background processes by their own PID files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ProcessSpec = {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  pidFile: string;
  logFile: string;
};

export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID recorded for a service, if that process still runs. */
export function runningPid(pidFile: string): number | undefined {
  const pid = readPid(pidFile);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Starts a detached process whose output goes to its log file; it outlives the caller (`stack up` returns). */
export function spawnDetached(spec: ProcessSpec): number {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const out = fs.openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  fs.writeFileSync(spec.pidFile, `${child.pid}\n`);
  return child.pid;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stops a process by PID: SIGTERM, then SIGKILL after the grace period. Removes the PID file. */
export async function stopByPid(pidFile: string, graceMs = 15_000): Promise<'stopped' | 'not-running'> {
  const pid = runningPid(pidFile);
  fs.rmSync(pidFile, { force: true });
  if (pid === undefined) return 'not-running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'stopped';
}

/** Resolves, or rejects with `<what> did not answer within …`, whichever comes first; the loser is ignored. */
export async function withDeadline<T>(what: string, work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export type WaitOptions = {
  /** False once the process has exited: waiting longer cannot help. */
  isStillStarting?: () => boolean;
  /** Each probe's own deadline: a probe that hangs (a server that accepted the connection but is not serving) is a no. */
  probeTimeoutMs?: number;
  onWait?: (elapsedMs: number) => void;
  signal?: AbortSignal;
};

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new Error(`${what}: start interrupted`);
    if (await withDeadline(`${what} health probe`, check(), probeTimeoutMs).catch(() => false)) return;
    if (options.isStillStarting && !options.isStillStarting()) throw new Error(`${what} exited while starting`);
    options.onWait?.(Date.now() - started);
    await sleep(500);
  }
  throw new Error(`${what} did not become healthy within ${Math.round(timeoutMs / 1000)} s`);
}

export function tailFile(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

const PROBLEM_LINE = /\b(error|fatal|panic|exception|refused|denied|already in use)\b|"level":"(error|fatal)"/i;

/**
 * What to show of a service's log when it failed to start: its error lines (a JVM or Go server logs many lines after
 * the one that matters while it shuts down), else its last lines.
 */
export function failureExcerpt(file: string, lines = 12): string {
  const text = tailFile(file, 400);
  const problems = text.split('\n').filter((line) => PROBLEM_LINE.test(line));
  return problems.length > 0
    ? problems
        .slice(-lines)
        .map((line) => line.slice(0, 400))
        .join('\n')
    : tailFile(file, lines);
}
