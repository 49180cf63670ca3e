// Waits on Temporal for a decision's final outcome. Temporal rather than the decisions topic: the workflow's result
// is final even after a rolled-back attempt re-decides with another node (a `decision.rolled_back` event may be
// followed by a new attempt), there is no race between subscribing and publishing, and a decision that had already
// finished answers at once. Progress comes from the DecisionStatus search attribute, which needs no worker to read.
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { DecisionOutcome } from '../contracts/decision-outcome';
import { DecisionStatus } from '../contracts/search-attributes';

export type { DecisionOutcome };

export type WaitResult =
  | { kind: 'finished'; outcome: DecisionOutcome }
  /** The workflow itself failed, was terminated or timed out (not a decision outcome the engine chose). */
  | { kind: 'aborted'; executionStatus: string; message: string }
  | { kind: 'timeout'; started: boolean; lastStatus?: string }
  | { kind: 'interrupted'; started: boolean; lastStatus?: string };

export type WaitOptions = {
  timeoutMs: number;
  pollMs?: number;
  /** Called when the DecisionStatus changes (PAYING, AWAITING_APPROVAL, ACTED, VERIFYING, ...). */
  onStatus?: (status: string) => void;
  /** Aborting stops the wait (Ctrl-C); the decision itself goes on. */
  signal?: AbortSignal;
};

export async function waitForDecisionOutcome(handle: WorkflowHandle, options: WaitOptions): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  let started = false;
  let lastStatus: string | undefined;
  while (true) {
    if (options.signal?.aborted) return { kind: 'interrupted', started, lastStatus };
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined; // the bridge has not started it yet
      throw error;
    });
    if (description) {
      started = true;
      const status = description.typedSearchAttributes.get(DecisionStatus);
      if (status && status !== lastStatus) {
        lastStatus = status;
        options.onStatus?.(status);
      }
      const execution = description.status.name;
      if (execution === 'COMPLETED') return { kind: 'finished', outcome: (await handle.result()) as DecisionOutcome };
      // CONTINUED_AS_NEW: a re-decision is starting its next run under the same id; keep waiting for that one.
      if (execution !== 'RUNNING' && execution !== 'CONTINUED_AS_NEW') {
        const message = await handle.result().then(
          () => execution,
          (error: unknown) => describeCause(error),
        );
        return { kind: 'aborted', executionStatus: execution, message };
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'timeout', started, lastStatus };
    await sleep(Math.min(options.pollMs ?? 500, left), options.signal);
  }
}

function describeCause(error: unknown): string {
  const chain: string[] = [];
  for (
    let e = error as { message?: string; cause?: unknown } | undefined;
    e && chain.length < 4;
    e = e.cause as typeof e
  )
    if (e.message) chain.push(e.message);
  return chain.join(': ');
}

/** Waits `ms`, or less when `signal` aborts (the caller then reports the interruption). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
