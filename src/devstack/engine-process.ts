// Runs one engine subcommand (`worker`, `facilitator`, ...) as its own OS process, as production deploys them, and
// resolves once its JSON log says it is ready. Used where a test or a benchmark needs a real process boundary: a
// worker killed mid-decision, a facilitator whose settlements do not share the node's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const OUTPUT_KEPT = 64 * 1024;

export type EngineProcess = { child: ChildProcess; output(): string; kill(): void };

/** `onOutput` sees every chunk of stdout and stderr (the handle keeps only the latest 64 kB), e.g. to grep whole logs. */
export async function startEngineProcess(
  subcommand: string,
  env: NodeJS.ProcessEnv,
  readyMessage: string,
  onOutput?: (chunk: string) => void,
  options: {
    /** Called as soon as the process exists, before it is ready: a supervisor can then stop it whatever happens. */
    onSpawn?: (handle: EngineProcess) => void;
    /** A process not ready by then is killed and the start fails (default 5 minutes). */
    readyTimeoutMs?: number;
  } = {},
): Promise<EngineProcess> {
  // One process (node with tsx's loader), not the tsx CLI, which would run the command in a grandchild a kill misses.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', subcommand], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: unknown) => {
    onOutput?.(String(chunk));
    output = (output + String(chunk)).slice(-OUTPUT_KEPT); // the latest output, for error messages
  };
  child.stderr?.on('data', keep);
  const handle: EngineProcess = {
    child,
    output: () => output,
    kill: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')),
  };
  options.onSpawn?.(handle);
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => {
      handle.kill();
      reject(
        new Error(
          `${subcommand} process not ready within ${options.readyTimeoutMs ?? 300_000} ms:\n${output.slice(-2000)}`,
        ),
      );
    }, options.readyTimeoutMs ?? 300_000);
    child.stdout?.on('data', (chunk) => {
      keep(chunk);
      if (output.includes(`"msg":"${readyMessage}"`)) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`${subcommand} process exited (${code}) before it was ready:\n${output.slice(-2000)}`)),
    );
  }).finally(() => clearTimeout(timer));
  return handle;
}

/** A TCP port free on 127.0.0.1 right now, for a child process that must be told its port up front. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
