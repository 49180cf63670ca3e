// Runs the node's after-the-answer chain work (settlements, receipt commitments) a few at a time. Unbounded, every
// pending transaction polls for its receipt on each new block, so a backlog multiplies RPC traffic and slows the
// verify calls of the requests being answered; bounded, the backlog waits in memory instead. Each task also waits at
// the node's quiet gate first (it yields to the requests being answered; see quiet-gate.ts).
import { openGate, type QuietGate } from './quiet-gate';

export type BackgroundQueue = {
  /** Runs `task` once the gate lets it and a slot is free, never before the current macrotask (so an answer being
   *  written goes first). */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks waiting for a slot, and tasks running. */
  readonly size: { waiting: number; running: number };
};

/** The queue's signal aborted (the node is shutting down) before the task started: the task never ran. */
export class BackgroundWorkStoppedError extends Error {
  override readonly name = 'BackgroundWorkStoppedError';
  constructor() {
    super('background work stopped before it started (shutting down)');
  }
}

export function createBackgroundQueue(
  concurrency: number,
  options: { gate?: QuietGate; signal?: AbortSignal } = {},
): BackgroundQueue {
  const gate = options.gate ?? openGate;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const waiting: Array<() => void> = [];
  let running = 0;

  const next = () => {
    while (running < concurrency && waiting.length > 0) {
      running += 1;
      (waiting.shift() as () => void)();
    }
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise((resolve, reject) => {
        const enqueue = () => {
          if (options.signal?.aborted) return reject(new BackgroundWorkStoppedError());
          waiting.push(() => {
            // Stopped while it waited for a slot: it never starts (the slot goes to the next, which ends the same way).
            if (options.signal?.aborted) {
              running -= 1;
              reject(new BackgroundWorkStoppedError());
              return setImmediate(next);
            }
            void new Promise<T>((started) => started(task())).then(resolve, reject).finally(() => {
              running -= 1;
              next();
            });
          });
          setImmediate(next);
        };
        if (gate.ready()) enqueue();
        else void gate.wait(options.signal).then(enqueue);
      });
    },
    get size() {
      return { waiting: waiting.length, running };
    },
  };
}
