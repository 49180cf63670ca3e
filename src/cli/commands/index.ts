// The list of subcommands; each lives in its own file in this folder.
import type { AnyCommand } from '../command';
import { bridgeCommand } from './bridge';
import { configCommand } from './config';
import { contractsDeployCommand } from './contracts-deploy';
import { decideCommand } from './decide';
import { decisionCommand } from './decision';
import { emitCommand } from './emit';
import { erpCommand } from './erp';
import { eventsCommand } from './events';
import { facilitatorCommand } from './facilitator';
import { nodeCommand } from './node';
import { nodesCommand } from './nodes';
import { stackCommand } from './stack';
import { startCommand } from './start';
import { verifierCommand } from './verifier';
import { workerCommand } from './worker';

export const commands: AnyCommand[] = [
  // processes
  startCommand, workerCommand, bridgeCommand, nodeCommand, facilitatorCommand, verifierCommand, erpCommand,
  // tools
  decideCommand, decisionCommand, eventsCommand, nodesCommand, emitCommand, stackCommand, contractsDeployCommand, configCommand,
];
