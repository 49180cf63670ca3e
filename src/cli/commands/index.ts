// The list of subcommands; each lives in its own file in this folder.
import type { Command } from '../command';
import { configCommand } from './config';
import { startCommand } from './start';
import { workerCommand } from './worker';

export const commands: Command[] = [startCommand, workerCommand, configCommand];
