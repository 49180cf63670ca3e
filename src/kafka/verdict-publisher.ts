// Publishes the verifier's verdicts to the verdicts topic, keyed by decision (or receipt) so one decision's verdicts
// stay ordered; the bridge delivers them to the waiting workflow.
//
// A verdict that cannot be published now (the broker restarting, a partition without a leader) is tried again with
// backoff until `retryForMs` has passed: a dropped verdict leaves its decision waiting out its verification timeout,
// and an honest decision rolled back for it is a false rollback (the chaos suite found 16 in 200 decisions across
// two broker restarts). Publishing twice is harmless: the decision takes the first verdict per receipt.
import type { Producer } from 'kafkajs';
import type { Verdict } from '../contracts/verdict';
import type { Logger } from '../log';
import { sendTraced } from '../observability';
import { retryThrowing } from '../retry';

export type VerdictPublisherOptions = {
  logger?: Logger;
  /** How long a verdict is retried before it is given up (logged as an error); default 10 minutes. */
  retryForMs?: number;
  /** Ends the retries at once (the verifier is shutting down). */
  signal?: AbortSignal;
};

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

export function createKafkaVerdictPublisher(
  producer: Producer,
  topic: string,
  options: VerdictPublisherOptions = {},
): { publish(verdict: Verdict): Promise<void> } {
  const retryForMs = options.retryForMs ?? 600_000;
  const send = (verdict: Verdict) =>
    // The bridge continues the verification job's trace from the headers when it signals the verdict.
    sendTraced(producer, {
      topic,
      acks: -1,
      messages: [
        {
          key: verdict.decisionId ?? verdict.receiptId,
          value: JSON.stringify(verdict),
          headers: { 'verdict-receipt-id': verdict.receiptId },
        },
      ],
    });
  return {
    async publish(verdict) {
      await retryThrowing(
        async (attempt) => {
          // kafkajs may leave a producer disconnected after the broker went away; connecting again is a no-op if not.
          if (attempt > 1) await producer.connect().catch(() => undefined);
          await send(verdict);
          if (attempt > 1) options.logger?.info({ receiptId: verdict.receiptId, attempt }, 'verdict published');
        },
        {
          baseDelayMs: FIRST_BACKOFF_MS,
          maxDelayMs: MAX_BACKOFF_MS,
          deadlineMs: Date.now() + retryForMs,
          signal: options.signal,
          onAttempt: (attempt, error, retryInMs) =>
            retryInMs !== undefined &&
            options.logger?.warn(
              { err: error, receiptId: verdict.receiptId, attempt, retryInMs },
              'verdict not published yet, retrying',
            ),
        },
      );
    },
  };
}
