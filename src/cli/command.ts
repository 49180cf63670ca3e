// The shape of a CLI subcommand: each process of the engine (worker, bridge, node, facilitator, verifier, erp) is one.
import type { EngineConfig, KeyRole } from '../config';
import type { Logger } from '../log';

export type CommandContext = { config: EngineConfig; logger: Logger; args: string[] };

export type Command = {
  name: string;
  summary: string;
  /** Keys the command signs with; production requires exactly these (none when omitted). */
  keys?: readonly KeyRole[];
  /** Long-running commands resolve when started and return a stop function; one-shot commands return nothing. */
  run(context: CommandContext): Promise<(() => Promise<void>) | void>;
};
