// Lets the node's after-the-answer chain work yield to answers. On one machine, a settlement (the facilitator's verify,
// signing and sending a transaction, the chain mining it) and a receipt commitment take the CPU the decision that paid
// for them still needs for its next request and the rest of its fast path. Work waits at the gate until no request has
// been in progress for `quietMs`, and never longer than `maxDeferMs`, so a node that is never quiet still settles.
export type QuietGate = {
  /** A request starts; call the returned function when it has been answered (once; extra calls are ignored). */
  enter(): () => void;
  /** True when work may start now (the node has been quiet for `quietMs`, or the gate never holds work). */
  ready(): boolean;
  /** Resolves when the node has been quiet for `quietMs`, `maxDeferMs` after the call, or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void>;
  readonly busy: boolean;
};

export type QuietGateOptions = { quietMs: number; maxDeferMs: number };

export function createQuietGate({ quietMs, maxDeferMs }: QuietGateOptions): QuietGate {
  if (!(quietMs >= 0) || !(maxDeferMs >= 0))
    throw new RangeError(`quietMs and maxDeferMs must not be negative, got ${quietMs} and ${maxDeferMs}`);
  let active = 0;
  let quietSince = Number.NEGATIVE_INFINITY;
  const waiters = new Set<() => void>();
  let quietTimer: NodeJS.Timeout | undefined;

  const isQuiet = () => active === 0 && performance.now() - quietSince >= quietMs;
  const ready = () => quietMs === 0 || maxDeferMs === 0 || isQuiet();
  const releaseWaiters = () => [...waiters].forEach((release) => release());
  // While idle with work waiting, one timer fires when the quiet period is complete.
  const arm = () => {
    clearTimeout(quietTimer);
    quietTimer = undefined;
    if (active > 0 || waiters.size === 0) return;
    const remaining = quietSince + quietMs - performance.now();
    if (remaining <= 0) return releaseWaiters();
    quietTimer = setTimeout(() => (active === 0 ? releaseWaiters() : undefined), remaining);
    quietTimer.unref();
  };

  return {
    enter() {
      active += 1;
      arm();
      let left = false;
      return () => {
        if (left) return;
        left = true;
        active -= 1;
        if (active === 0) {
          quietSince = performance.now();
          arm();
        }
      };
    },
    ready,
    wait(signal) {
      if (ready() || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(deferTimer);
          waiters.delete(release);
          signal?.removeEventListener('abort', release);
          if (waiters.size === 0) arm();
          resolve();
        };
        const deferTimer = setTimeout(release, maxDeferMs);
        deferTimer.unref();
        waiters.add(release);
        signal?.addEventListener('abort', release, { once: true });
        arm();
      });
    },
    get busy() {
      return active > 0;
    },
  };
}

/** A gate that never holds work back (quietMs 0): the behaviour without yielding. */
export const openGate: QuietGate = createQuietGate({ quietMs: 0, maxDeferMs: 0 });
