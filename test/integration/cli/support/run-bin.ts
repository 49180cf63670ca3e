// Runs the real `proofpath` binary (bin/proofpath.mjs) as its own process, as a user or a script would, and keeps
// its exit code, stdout and stderr for the assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../../../bin/proofpath.mjs');

export type BinResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export type RunningBin = {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr (as chosen) matches; rejects if the process ends first or the wait times out. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<BinResult>;
};

export function startBin(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; command?: string } = {},
): RunningBin {
  const child = spawn(process.execPath, [options.command ?? BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<BinResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(stream, pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => (ended = true));
      while (!pattern.test(stream === 'stdout' ? stdout : stderr)) {
        if (ended)
          throw new Error(
            `proofpath ${args.join(' ')} exited before ${stream} matched ${pattern}:\n${stdout}\n${stderr}`,
          );
        if (Date.now() > deadline)
          throw new Error(
            `proofpath ${args.join(' ')}: ${stream} did not match ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export function runBin(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; command?: string } = {},
): Promise<BinResult> {
  return startBin(args, options).exited;
}
