// `npm run stack -- up|down|status|logs [service] [--lines N]`: the embedded development stack.
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../log';
import { createHumanStepReporter } from '../terminal';
import { provisionStack } from './provision';
import { stackDown, stackLogs, stackStatus, stackUp, type ServiceStatus } from './stack';

function printStatus(statuses: ServiceStatus[]): void {
  for (const s of statuses) {
    process.stdout.write(`${s.name.padEnd(9)} ${s.state.padEnd(10)} ${s.pid !== undefined ? `pid ${s.pid}`.padEnd(11) : ''.padEnd(11)} ${s.description}\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const config = loadConfig();
  const logger = createLogger('devstack', config);
  switch (action) {
    case 'up': {
      const steps = createHumanStepReporter(process.stdout);
      const statuses = await stackUp(config, logger, { steps });
      await provisionStack(config, logger, steps);
      printStatus(statuses);
      process.stdout.write(`\nTemporal Web UI: http://127.0.0.1:${config.temporal.uiPort}\n`);
      return 0;
    }
    case 'down':
      await stackDown(config, logger);
      return 0;
    case 'status': {
      const statuses = await stackStatus(config);
      printStatus(statuses);
      return statuses.every((s) => s.state === 'running' || s.state === 'external') ? 0 : 1;
    }
    case 'logs': {
      const linesFlag = rest.indexOf('--lines');
      const lines = linesFlag >= 0 ? Number(rest[linesFlag + 1]) : 50;
      const name = rest.find((arg, i) => !arg.startsWith('--') && (linesFlag < 0 || i !== linesFlag + 1));
      process.stdout.write(`${stackLogs(config, name, lines)}\n`);
      return 0;
    }
    default:
      process.stderr.write('usage: npm run stack -- up|down|status|logs [temporal|kafka|anvil] [--lines N]\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
