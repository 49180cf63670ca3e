// Publishes the verifier's verdicts to the verdicts topic, keyed by decision (or receipt) so one decision's verdicts
// stay ordered; the bridge delivers them to the waiting workflow.
import type { Producer } from 'kafkajs';
import type { Verdict } from '../contracts/verdict';
import { sendTraced } from '../observability';

export function createKafkaVerdictPublisher(
  producer: Producer,
  topic: string,
): { publish(verdict: Verdict): Promise<void> } {
  return {
    async publish(verdict) {
      // The bridge continues the verification job's trace from the headers when it signals the verdict.
      await sendTraced(producer, {
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
    },
  };
}
