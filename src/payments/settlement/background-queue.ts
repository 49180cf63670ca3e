// Runs the node's after-the-answer chain work (settlements, receipt commitments) a few at a time. Unbounded, every
// pending transaction polls for its receipt on each new block, so a backlog multiplies RPC traffic and slows the
// verify calls of the requests being answered; bounded, the backlog waits in memory instead.
export type BackgroundQueue = {
  /** Runs `task` once a slot is free, never before the current macrotask (so an answer being written goes first). */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks waiting for a slot, and tasks running. */
  readonly size: { waiting: number; running: number };
};

export function createBackgroundQueue(concurrency: number): BackgroundQueue {
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
        waiting.push(() => {
          void new Promise<T>((started) => started(task())).then(resolve, reject).finally(() => {
            running -= 1;
            next();
          });
        });
        setImmediate(next);
      });
    },
    get size() {
      return { waiting: waiting.length, running };
    },
  };
}
