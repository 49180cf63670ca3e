// Entry point of the `proofpath` binary: `proofpath <command> [args]` (bin/proofpath.mjs; npm run engine -- <command>).
// Exit codes are listed in exit-codes.ts; every failure is one line on stderr saying what failed and what to do.
import pino from 'pino';
import { loadConfig, type EngineConfig } from '../config';
import { createLogger } from '../log';
import type { AnyCommand } from './command';
import { commands } from './commands';
import { describeFailure } from './errors';
import { ExitCode } from './exit-codes';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: proofpath <command> [args]   (proofpath <command> --help for its flags)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 ok, 1 unexpected error, 2 usage, 3 service unreachable, 4 not found, 5 rejected by the decision,',
    '            10 rolled back, 11 failed, 12 timed out (decide), 13 scenario deviated (start --once), 130 interrupted',
  ].join('\n');
}

function usageOf(command: AnyCommand): string {
  return `usage: proofpath ${command.usage ?? `${command.name}\n\n${command.summary}`}`;
}

/** Tools keep stdout for their result: their logs (pretty on a terminal in development) go to stderr. */
function loggerFor(command: AnyCommand, config: EngineConfig) {
  if (!command.logsToStderr) return createLogger(command.name, config);
  const pretty =
    config.logFormat === 'pretty' ||
    (config.logFormat === 'auto' && config.mode === 'development' && process.stderr.isTTY === true);
  const destination = pretty
    ? pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } })
    : pino.destination({ dest: 2, sync: true });
  return createLogger(command.name, { ...config, destination });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const about = commands.find((c) => c.name === args[0]);
    process.stdout.write(`${about ? usageOf(about) : overview()}\n`);
    return ExitCode.OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`proofpath: unknown command "${name}"\n\n${overview()}\n`);
    return ExitCode.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usageOf(command)}\n`);
    return ExitCode.OK;
  }
  let config: EngineConfig;
  try {
    config = loadConfig(process.env, { keyRoles: command.keys ?? [] });
  } catch (error) {
    return fail(command, error);
  }
  const logger = loggerFor(command, config);
  let result: Awaited<ReturnType<AnyCommand['run']>>;
  try {
    result = await command.run({ config, logger, args });
  } catch (error) {
    return fail(command, error, config);
  }
  if (typeof result === 'number') return result;
  if (!result) return exitCodeSoFar();
  const stop = result;
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      if (!command.logsToStderr) logger.info({ signal }, 'stopping'); // a tool stopped by Ctrl-C has nothing to report
      stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return exitCodeSoFar();
}

/** A command may have set process.exitCode (e.g. the bridge, before it stops itself on a fatal consumer error). */
function exitCodeSoFar(): number {
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
}

function fail(command: AnyCommand, error: unknown, config?: EngineConfig): number {
  const failure = describeFailure(error, config);
  process.stderr.write(
    `proofpath ${command.name}: ${failure.message}\n${failure.showUsage ? `\n${usageOf(command)}\n` : ''}`,
  );
  return failure.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(ExitCode.ERROR);
  },
);
