// Exit codes of the `proofpath` binary: stable, listed in the README, one per outcome a script can act on.
export const ExitCode = {
  OK: 0,
  /** Anything unexpected (the stack trace is printed): a bug, or a failure with no better code. */
  ERROR: 1,
  /** Unknown command or flag, a missing or malformed argument, an input file that does not validate, a bad setting. */
  USAGE: 2,
  /** Temporal, Kafka, an inference node or a worker the command needs did not answer. */
  UNREACHABLE: 3,
  /** The named decision, topic or model does not exist. */
  NOT_FOUND: 4,
  /** A running decision refused the message (approve, reject, amend outside their window, or invalid). */
  REJECTED: 5,
  /** `decide`: the decision ended ROLLED_BACK (compensated). */
  ROLLED_BACK: 10,
  /** `decide`: the decision ended FAILED (could not decide, or a step failed for good). */
  FAILED: 11,
  /** `decide`: no final outcome before --timeout (the decision goes on). */
  TIMEOUT: 12,
  /** `start --once`: a scenario decision did not end as the scenario file expects (the differences are listed). */
  SCENARIO_DEVIATED: 13,
  /** Stopped by Ctrl-C while waiting (128 + SIGINT, as shells report it). */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
