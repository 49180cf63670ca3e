// The shape of a CLI subcommand: each process of the engine (worker, bridge, node, facilitator, verifier, erp) is one,
// and so is each tool (decide, events, nodes, decision, stack, ...).
import type { EngineConfig, KeyRole } from '../config';
import type { Logger } from '../log';

export type CommandContext = { config: EngineConfig; logger: Logger; args: string[] };

export type Command = {
  name: string;
  summary: string;
  /** The argument synopsis and flags shown by `proofpath <name> --help` and after a usage error (summary when omitted). */
  usage?: string;
  /** Keys the command signs with; production requires exactly these (none when omitted). */
  keys?: readonly KeyRole[];
  /** Tools print their result on stdout, so their logs go to stderr; processes log on stdout. */
  logsToStderr?: boolean;
  /** Long-running commands resolve when started and return a stop function (called on SIGINT/SIGTERM); one-shot commands return nothing. */
  run(context: CommandContext): Promise<(() => Promise<void>) | void>;
};

/** A tool may also end with an exit code other than 0 (see exit-codes.ts): decide's outcome, nodes none reachable, ... */
export type ToolCommand = Omit<Command, 'run'> & {
  run(context: CommandContext): Promise<(() => Promise<void>) | void | number>;
};

export type AnyCommand = Command | ToolCommand;
