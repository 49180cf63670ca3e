// Batch mode: collects receipt digests and commits their Merkle root on the registry every N receipts or T seconds,
// then hands each receipt its proof. Commit failures are retried with backoff; a batch that never lands is reported.
import type { Hex } from 'viem';
import { buildMerkleTree, merkleLeaf, merkleProof, type ReceiptRegistry } from '../../chain';
import type { Logger } from '../../log';
import { retryWithBackoff } from '../../retry';

export type BatchEntry = { receiptId: string; digest: Hex };
export type BatchOutcome =
  | {
      status: 'committed';
      root: Hex;
      size: number;
      transaction?: Hex;
      proofs: Map<string, { index: number; proof: Hex[] }>;
    }
  | { status: 'failed'; root: Hex; size: number; reason: string; proofs: Map<string, { index: number; proof: Hex[] }> };

export type BatchCommitter = { add(entry: BatchEntry): void; flush(): Promise<void>; close(): Promise<void> };

export function createBatchCommitter(options: {
  registry: ReceiptRegistry;
  size: number;
  intervalMs: number;
  attempts: number;
  backoffMs: number;
  logger: Logger;
  onOutcome(entries: BatchEntry[], outcome: BatchOutcome): void;
}): BatchCommitter {
  let pending: BatchEntry[] = [];
  const inFlight = new Set<Promise<void>>();
  // T counts from a batch's first receipt (not a free-running clock), so no receipt waits longer than T and a burst
  // of N is committed as one batch rather than split by a tick that happens to fall inside it.
  let timer: NodeJS.Timeout | undefined;

  async function commit(entries: BatchEntry[]): Promise<void> {
    const tree = buildMerkleTree(entries.map((e) => merkleLeaf(e.digest)));
    const proofs = new Map(entries.map((e, index) => [e.receiptId, { index, proof: merkleProof(tree, index) }]));
    const result = await retryWithBackoff(
      async () => ({ done: true as const, value: await options.registry.commitBatch(tree.root, entries.length) }),
      {
        attempts: options.attempts,
        baseDelayMs: options.backoffMs,
        onAttempt: (attempt, outcome, retryInMs) =>
          retryInMs !== undefined &&
          options.logger.warn({ attempt, root: tree.root, outcome: String(outcome), retryInMs }, 'batch commit retry'),
      },
    );
    if (result.done) {
      options.logger.info(
        { root: tree.root, size: entries.length, transaction: result.value.transaction },
        'batch committed',
      );
      options.onOutcome(entries, {
        status: 'committed',
        root: tree.root,
        size: entries.length,
        transaction: result.value.transaction,
        proofs,
      });
    } else {
      options.logger.error(
        { root: tree.root, size: entries.length, outcome: String(result.outcome) },
        'batch commit failed',
      );
      options.onOutcome(entries, {
        status: 'failed',
        root: tree.root,
        size: entries.length,
        reason: String(result.outcome),
        proofs,
      });
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return Promise.all(inFlight).then(() => undefined);
    const entries = pending;
    pending = [];
    const running = commit(entries).finally(() => inFlight.delete(running));
    inFlight.add(running);
    return Promise.all(inFlight).then(() => undefined);
  }

  return {
    add(entry) {
      pending.push(entry);
      if (pending.length >= options.size) return void flush();
      if (!timer) {
        timer = setTimeout(() => void flush(), options.intervalMs);
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}
