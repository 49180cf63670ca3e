// Verdicts by receipt id (in memory, bounded) and the port through which they are published (Kafka in the engine, a list in tests).
import type { Verdict } from '../../contracts';

/** Port: where verdicts go once decided (Kafka `verification.verdicts` in the engine, a list in tests). */
export type VerdictPublisher = { publish(verdict: Verdict): Promise<void> };

export type VerdictStore = {
  markPending(receiptId: string): void;
  save(verdict: Verdict): void;
  get(receiptId: string): { state: 'pending' } | { state: 'done'; verdict: Verdict } | undefined;
};

export function createVerdictStore(capacity = 50_000): VerdictStore {
  const entries = new Map<string, { state: 'pending' } | { state: 'done'; verdict: Verdict }>();
  const put = (id: string, value: { state: 'pending' } | { state: 'done'; verdict: Verdict }) => {
    entries.delete(id);
    entries.set(id, value);
    if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
  };
  return {
    markPending: (id) => put(id, { state: 'pending' }),
    save: (verdict) => put(verdict.receiptId, { state: 'done', verdict }),
    get: (id) => entries.get(id),
  };
}
