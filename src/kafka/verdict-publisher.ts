// Publishes the verifier's verdicts to the verdicts topic, keyed by decision (or receipt) so one decision's verdicts
// stay ordered; the bridge delivers them to the waiting workflow.
import type { Producer } from 'kafkajs';
import type { Verdict } from '../contracts/verdict';

export function createKafkaVerdictPublisher(producer: Producer, topic: string): { publish(verdict: Verdict): Promise<void> } {
  return {
    async publish(verdict) {
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: verdict.decisionId ?? verdict.receiptId, value: JSON.stringify(verdict), headers: { 'verdict-receipt-id': verdict.receiptId } }],
      });
    },
  };
}
