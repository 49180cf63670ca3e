// The list of subcommands; each lives in its own file in this folder.
import { parseCommandArgs } from '../args';
import type { AnyCommand, Command } from '../command';
import { bridgeCommand } from './bridge';
import { configCommand } from './config';
import { contractsDeployCommand } from './contracts-deploy';
import { decideCommand } from './decide';
import { decisionCommand } from './decision';
import { emitCommand } from './emit';
import { erpCommand } from './erp';
import { eventsCommand } from './events';
import { facilitatorCommand } from './facilitator';
import { modelsCommand } from './models';
import { nodeCommand } from './node';
import { nodesCommand } from './nodes';
import { stackCommand } from './stack';
import { startCommand } from './start';
import { verifierCommand } from './verifier';
import { workerCommand } from './worker';

/**
 * A process that takes no arguments refuses any (`proofpath worker --bogus` is a usage error, exit 2). Checked here,
 * not in the command itself, because `start` hands its own arguments to every process it runs.
 */
function withoutArguments(command: Command): Command {
  return {
    ...command,
    usage:
      command.usage ??
      `${command.name}\n\n${command.summary} (no arguments; configured by the environment, see \`proofpath config\`)`,
    run: (context) => {
      parseCommandArgs(context.args, {});
      return command.run(context);
    },
  };
}

export const commands: AnyCommand[] = [
  // processes
  startCommand,
  ...[workerCommand, bridgeCommand].map(withoutArguments),
  nodeCommand,
  ...[facilitatorCommand, verifierCommand, erpCommand].map(withoutArguments),
  // tools
  decideCommand,
  decisionCommand,
  eventsCommand,
  nodesCommand,
  modelsCommand,
  emitCommand,
  stackCommand,
  contractsDeployCommand,
  configCommand,
];
