// The list of subcommands; each lives in its own file in this folder.
import type { Command } from '../command';
import { bridgeCommand } from './bridge';
import { configCommand } from './config';
import { contractsDeployCommand } from './contracts-deploy';
import { decisionCommand } from './decision';
import { emitCommand } from './emit';
import { erpCommand } from './erp';
import { facilitatorCommand } from './facilitator';
import { nodeCommand } from './node';
import { startCommand } from './start';
import { verifierCommand } from './verifier';
import { workerCommand } from './worker';

export const commands: Command[] = [
  startCommand, workerCommand, bridgeCommand, nodeCommand, facilitatorCommand, verifierCommand, erpCommand,
  decisionCommand, emitCommand, contractsDeployCommand, configCommand,
];
