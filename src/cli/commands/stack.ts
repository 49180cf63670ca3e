// `proofpath stack up|down|status|logs [service] [--lines N]` (also `npm run stack -- ...`): the embedded development
// stack (Temporal dev server, Kafka, anvil) with the engine's provisioning (topics, contracts, enclave root, keys).
import { provisionStack } from '../../devstack/provision';
import { STACK_SERVICES, stackDown, stackLogs, stackStatus, stackUp, type ServiceStatus } from '../../devstack/stack';
import { parseChoice, parseCommandArgs, parsePositiveInt } from '../args';
import type { ToolCommand } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exit-codes';

const ACTIONS = ['up', 'down', 'status', 'logs'] as const;
const SERVICES = STACK_SERVICES.map((s) => s.name);

function printStatus(statuses: ServiceStatus[]): void {
  for (const s of statuses) {
    process.stdout.write(
      `${s.name.padEnd(9)} ${s.state.padEnd(10)} ${(s.pid !== undefined ? `pid ${s.pid}` : '').padEnd(11)} ${s.description}\n`,
    );
  }
}

export const stackCommand: ToolCommand = {
  name: 'stack',
  summary: 'up|down|status|logs [service] [--lines N]: the embedded development stack (Temporal, Kafka, anvil)',
  usage: [
    'stack up|down|status|logs [temporal|kafka|anvil] [--lines N]',
    '',
    '  up      start what is not running (idempotent), then provision topics, contracts, enclave root and proving keys',
    '  down    stop the services this stack started',
    '  status  one line per service; exit 0 when all are healthy, 1 otherwise',
    '  logs    the last --lines (default 50) lines of each service log, or of one service',
  ].join('\n'),
  logsToStderr: true,
  async run({ config, logger, args }) {
    const { values, positionals } = parseCommandArgs(
      args,
      { lines: { type: 'string', short: 'n' } },
      { min: 1, max: 2, names: `action (${ACTIONS.join('|')})` },
    );
    const action = parseChoice(positionals[0], ACTIONS, 'stack action');
    const service = positionals[1] === undefined ? undefined : parseChoice(positionals[1], SERVICES, 'service');
    if (service !== undefined && action !== 'logs')
      throw new UsageError(`stack ${action} applies to the whole stack, not one service`);
    switch (action) {
      case 'up': {
        // Ctrl-C stops a service start or a build in progress (cargo and go run in their own process groups).
        const interrupt = new AbortController();
        const onSignal = () => interrupt.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        let statuses: Awaited<ReturnType<typeof stackUp>>;
        try {
          statuses = await stackUp(config, logger, { signal: interrupt.signal });
          await provisionStack(config, logger, undefined, interrupt.signal);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        if (interrupt.signal.aborted) return ExitCode.INTERRUPTED;
        printStatus(statuses);
        process.stdout.write(`\nTemporal Web UI: http://127.0.0.1:${config.temporal.uiPort}\n`);
        return ExitCode.OK;
      }
      case 'down':
        await stackDown(config, logger);
        return ExitCode.OK;
      case 'status': {
        const statuses = await stackStatus(config);
        printStatus(statuses);
        return statuses.every((s) => s.state === 'running' || s.state === 'external') ? ExitCode.OK : ExitCode.ERROR;
      }
      case 'logs':
        process.stdout.write(
          `${stackLogs(config, service, values.lines === undefined ? 50 : parsePositiveInt(values.lines, '--lines'))}\n`,
        );
        return ExitCode.OK;
    }
  },
};
