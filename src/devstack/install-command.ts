// Runs a one-time install command (the Go build of the Temporal CLI, the Maven resolve of the Kafka jars) with its
// output kept in a log file and fed line by line to a progress reader; cancellable, and its whole process group is
// stopped on cancel so no compiler outlives an interrupted `npm start`.
import { EngineError } from '../errors';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tailFile } from './process';

export type InstallCommand = {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
};

export class InstallCommandError extends EngineError<'install_failed'> {
  override readonly name = 'InstallCommandError';
  constructor(
    message: string,
    readonly logFile: string,
  ) {
    super('install_failed', message, { details: { logFile } });
  }
}

export async function runInstallCommand(spec: InstallCommand): Promise<void> {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
  log.write(`\n$ ${spec.command} ${spec.args.join(' ')}   # ${new Date().toISOString()}\n`);
  const child = spawn(spec.command, spec.args, {
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stopGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  spec.signal?.addEventListener('abort', stopGroup, { once: true });
  const reader = (pending: { rest: string }) => (chunk: Buffer) => {
    log.write(chunk);
    const text = pending.rest + chunk.toString('utf8');
    const lines = text.split('\n');
    pending.rest = lines.pop() ?? '';
    for (const line of lines) spec.onLine?.(line);
  };
  child.stdout.on('data', reader({ rest: '' }));
  child.stderr.on('data', reader({ rest: '' }));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (spec.signal?.aborted)
      throw new InstallCommandError(`${path.basename(spec.command)} was interrupted`, spec.logFile);
    await new Promise<void>((resolve) => log.end(resolve));
    if (code !== 0) {
      throw new InstallCommandError(
        `${path.basename(spec.command)} exited with ${code}; last lines:\n${tailFile(spec.logFile, 15)}`,
        spec.logFile,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InstallCommandError(`${spec.command} is not installed or not on PATH`, spec.logFile);
    }
    throw error;
  } finally {
    spec.signal?.removeEventListener('abort', stopGroup);
    if (!log.writableEnded) log.end();
  }
}
