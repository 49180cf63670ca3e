// Entry point of the `proofpath` binary: `proofpath <command> [args]` (npm run engine -- <command>).
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../log';
import { commands } from './commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const width = Math.max(...commands.map((c) => c.name.length));
    process.stderr.write(`usage: proofpath <command> [args]\n\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n`);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig(process.env, { keyRoles: command.keys ?? [] });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(command.name, config);
  const stop = await command.run({ config, logger, args });
  if (!stop) return 0;
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'stopping');
      stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
