// The node's settlement queue (no relation to the Temporal worker): what happens after (or, in individual mode, before)
// the node answers: settle the payment through the facilitator
// and commit the receipt on the registry, each retried with backoff; outcomes land on the receipt for the workflow.
import { setMaxListeners } from 'node:events';
import type { SettleResponse } from '@x402/core/types';
import type { Hex } from 'viem';
import type { ReceiptRegistry } from '../chain';
import type { Commitment, SettlementStatus } from '../contracts/inference-http';
import type { Logger } from '../log';
import { keepTraceContext, type Metrics } from '../observability';
import {
  createBackgroundQueue,
  isRetryableSettleReason,
  type BatchCommitter,
  type PaymentGate,
  type QuietGate,
} from '../payments';
import { retryWithBackoff } from '../retry';
import type { ReceiptStore, ServedPayment } from './receipt-store';

export type SettlementQueue = {
  settleNow(served: Pick<ServedPayment, 'payment'>): Promise<SettleResponse>;
  settleLater(served: ServedPayment): void;
  commitLater(receiptId: string, digest: Hex, kind: Commitment['kind']): void;
  /** Resolves when every background settlement and commitment started so far has finished (tests, shutdown). */
  drain(): Promise<void>;
  /** Shutdown: retries and waits stop at once; what is unfinished stays pending in the journal and is resumed by the
   *  node's next start (an attempt already sent is still awaited). */
  stop(): void;
};

const now = () => new Date().toISOString();

export function createSettlementQueue(deps: {
  gate: PaymentGate;
  store: ReceiptStore;
  registry?: ReceiptRegistry;
  batcher?: BatchCommitter;
  /** Commitment attempts; and settlement attempts of a payment whose authorization names no expiry. */
  attempts: number;
  backoffMs: number;
  /** Longest wait between settlement retries (default 30 s). */
  maxBackoffMs?: number;
  /** Background settle and commit attempts in flight at once (the rest queue); default: unbounded. */
  concurrency?: number;
  /** Each background attempt waits here until the node is quiet (answers first); default: no wait. */
  quiet?: QuietGate;
  logger: Logger;
  metrics: Metrics;
}): SettlementQueue {
  const { gate, store, logger, metrics } = deps;
  // Each attempt takes a slot, not each retry loop: a backoff sleep does not hold one. Attempts start after the
  // current macrotask, so the answer that queued them is written first.
  const stopping = new AbortController();
  const signal = stopping.signal;
  setMaxListeners(0, signal); // one listener per queued attempt or backoff sleep
  const queue = createBackgroundQueue(deps.concurrency ?? Number.MAX_SAFE_INTEGER, { gate: deps.quiet, signal });
  const running = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  async function settleNow(served: Pick<ServedPayment, 'payment'>): Promise<SettleResponse> {
    const started = performance.now();
    const result = await gate
      .settle(served.payment.payload, served.payment.requirements)
      .catch((error: unknown): SettleResponse => ({
        success: false,
        errorReason: 'unexpected_settle_error',
        errorMessage: (error as Error).message,
        transaction: '',
        network: served.payment.requirements.network,
      }));
    metrics.observeMs('node_settle_ms', performance.now() - started);
    metrics.count('node_settlements_total', { success: String(result.success), reason: result.errorReason ?? '' });
    return result;
  }

  function settleLater(served: ServedPayment): void {
    const validBefore =
      Number(
        (served.payment.payload.payload as { authorization?: { validBefore?: string } }).authorization?.validBefore ??
          0,
      ) * 1000;
    // A queued attempt runs when a slot frees, in whoever freed it's context: keep the trace of the answer it settles.
    const settleInTrace = keepTraceContext(() => settleNow(served));
    track(
      (async () => {
        const outcome = await retryWithBackoff(
          async () => {
            const result = await queue.run(settleInTrace);
            if (result.success) return { done: true as const, value: result };
            return { done: false as const, retryable: isRetryableSettleReason(result.errorReason), outcome: result };
          },
          // A payment is worth settling for as long as its authorization is valid: a facilitator or chain outage of
          // minutes must not turn a served inference into a free one. Without an expiry, the attempts bound it.
          {
            baseDelayMs: deps.backoffMs,
            maxDelayMs: deps.maxBackoffMs ?? 30_000,
            signal,
            ...(validBefore ? { deadlineMs: validBefore } : { attempts: deps.attempts }),
          },
        );
        if (!outcome.done && signal.aborted) return; // stopped: still pending in the journal, resumed on the next start
        const settlement: SettlementStatus = outcome.done
          ? {
              status: 'settled',
              transaction: outcome.value.transaction as Hex,
              attempts: outcome.attempts,
              updatedAt: now(),
            }
          : {
              status: 'failed',
              reason: (outcome.outcome as SettleResponse | undefined)?.errorReason ?? String(outcome.outcome),
              attempts: outcome.attempts,
              updatedAt: now(),
            };
        if (settlement.status === 'failed')
          logger.error(
            { receiptId: served.receiptId, reason: settlement.reason, attempts: outcome.attempts },
            'settlement failed after answering',
          );
        store.setSettlement(served.receiptId, settlement);
      })(),
    );
  }

  function commitLater(receiptId: string, digest: Hex, kind: Commitment['kind']): void {
    if (kind === 'batch') {
      if (!deps.batcher)
        return store.setCommitment(receiptId, { kind, status: 'failed', reason: 'no settlement registry configured' });
      deps.batcher.add({ receiptId, digest });
      return;
    }
    const registry = deps.registry;
    if (!registry)
      return store.setCommitment(receiptId, { kind, status: 'failed', reason: 'no settlement registry configured' });
    track(
      (async () => {
        const outcome = await retryWithBackoff(
          async () => ({ done: true as const, value: await queue.run(() => registry.commitReceipt(digest)) }),
          { attempts: deps.attempts, baseDelayMs: deps.backoffMs, signal },
        );
        if (!outcome.done && signal.aborted) return; // stopped: still pending in the journal, resumed on the next start
        const commitment: Commitment = outcome.done
          ? { kind, status: 'committed', transaction: outcome.value.transaction }
          : { kind, status: 'failed', reason: String(outcome.outcome) };
        metrics.count('node_commitments_total', { kind, status: commitment.status });
        if (!outcome.done) {
          const error = outcome.outcome as { code?: string } | undefined;
          logger.error(
            { receiptId, reason: String(outcome.outcome), code: error?.code, attempts: outcome.attempts },
            'receipt commitment failed',
          );
        }
        store.setCommitment(receiptId, commitment);
      })(),
    );
  }

  return {
    settleNow,
    settleLater,
    commitLater,
    stop: () => stopping.abort(),
    async drain() {
      // Retry backoffs sleep on unref'ed timers (a stray retry must not hold a process open by itself); while someone
      // waits here, this ref'ed timer keeps the process alive until the retries are done.
      const keepAlive = setInterval(() => undefined, 60_000);
      try {
        while (running.size > 0) await Promise.allSettled([...running]);
        await deps.batcher?.flush();
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}
