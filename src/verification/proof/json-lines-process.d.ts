// Types of json-lines-process.js (plain CommonJS, so that the prover process's program can require it too).

export type JsonLinesAnswer = { id: number } & Record<string, unknown>;

export type JsonLinesOptions = {
  /** The error every waiting job fails with when the process ends (`why`: what happened, e.g. "exited (1)"). */
  processError(why: string): Error;
  /** Why an answer carrying the right id is still out of protocol, or undefined when it is one the caller reads. */
  outOfProtocol(answer: JsonLinesAnswer): string | undefined;
  /** Told once when the process fails (exits, hangs, answers out of protocol); not on `stop()`. */
  onFailure?(why: string): void;
  /** Each non-empty line the process writes to stderr; without it, each goes to the parent's stderr. */
  onStderrLine?(line: string): void;
};

export type JsonLinesProcess = {
  readonly pid: number | undefined;
  /** The process has ended (failed or stopped): ask a new one. */
  readonly gone: boolean;
  /** Sends `{ id, ...request }` as one line; resolves with the answer carrying that id, in the order asked. */
  ask(request: Record<string, unknown>, timeoutMs: number): Promise<JsonLinesAnswer>;
  /** Ends the process; waiting jobs fail with the process error. */
  stop(): void;
};

export function startJsonLinesProcess(binary: string, options: JsonLinesOptions): JsonLinesProcess;
