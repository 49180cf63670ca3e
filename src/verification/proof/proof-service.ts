// Node side of GET /v1/receipts/:id/proof: proofs are made after the answer, one job at a time, and polled (a poll may
// wait for its proof: `settled`).
// The node accepts the job before it answers (journaled) and starts it once it has answered; `handle` gives the HTTP status (202 pending, 200 ready, 404, 500).
// With a journal, jobs and results outlive the process: a restarted node serves the proofs it made and proves again
// what it had not finished, so a verifier polling across a restart still gets its proof rather than a 404.
import { EngineError } from '../../errors';
import type { Logger } from 'pino';
import { createFaultHooks, type NodeFaultHooks } from '../faults';
import type { ProofStatus } from '../../contracts/proof';
import type { Groth16Prover } from './prover';

export type ProofService = {
  /**
   * Journals the job at once — a node that crashes after answering still proves it on its next start — and returns
   * what starts proving, for the node to call once its answer is out (proving must not delay the answer).
   */
  accept(receiptId: string, modelId: string, rows: number[][], outputs: number[][]): () => void;
  /** `accept` and start at once. */
  request(receiptId: string, modelId: string, rows: number[][], outputs: number[][]): void;
  get(receiptId: string): ProofStatus | undefined;
  handle(receiptId: string): { status: 200 | 202 | 404 | 500; body: ProofStatus | { reason: string; message: string } };
  /**
   * Resolves once the receipt's proof is no longer pending (ready or failed), after `waitMs` at the latest, or when
   * `signal` aborts: a verifier's long poll (GET ...proof?waitMs=) is answered the moment its proof is done, instead
   * of asking again every few hundred milliseconds while the proof waits for CPU.
   */
  settled(receiptId: string, waitMs: number, signal?: AbortSignal): Promise<void>;
  /** Resolves when every queued proof is done (for shutdown and tests). */
  idle(): Promise<void>;
};

/** The node was started without a prover (`proving: false`, benchmarks of the payment path): expected, not a fault. */
export class ProvingDisabledError extends EngineError<'proving_disabled'> {
  override readonly name = 'ProvingDisabledError';
  constructor() {
    super('proving_disabled', 'this node does not make zkML proofs (proving disabled)');
  }
}

/** The node is shutting down: the job is not failed, it is left for the next start (journaled) to prove. */
export class ProvingInterruptedError extends EngineError<'proving_interrupted'> {
  override readonly name = 'ProvingInterruptedError';
  constructor() {
    super('proving_interrupted', 'the node shut down before proving this receipt');
  }
}

type ProofJob = { receiptId: string; modelId: string; rows: number[][]; outputs: number[][] };
type Finished = Exclude<ProofStatus, { status: 'pending' }>;

/** One line per job as it is requested, one per result. */
export type ProofJournalRecord =
  ({ t: 'requested' } & ProofJob) | { t: 'finished'; receiptId: string; result: Finished };
export type ProofJournal = { append(record: ProofJournalRecord): void; replay(): ProofJournalRecord[] };

export type ProofServiceOptions = {
  prover: Groth16Prover;
  logger?: Logger;
  faults?: NodeFaultHooks;
  /** Proof records kept in memory (oldest dropped first); a receipt's proof is asked for within minutes. */
  capacity?: number;
  /** Where jobs and results are kept across restarts; without one they live in memory only. */
  journal?: ProofJournal;
};

export function createProofService(options: ProofServiceOptions): ProofService {
  const faults = options.faults ?? createFaultHooks([]);
  const capacity = options.capacity ?? 10_000;
  const records = new Map<string, ProofStatus>();
  // One proof at a time: proving is CPU-bound and must not starve the node's answers.
  let queue: Promise<void> = Promise.resolve();

  const waiters = new Map<string, Set<() => void>>();
  const remember = (receiptId: string, status: ProofStatus) => {
    records.delete(receiptId);
    records.set(receiptId, status);
    if (records.size > capacity) records.delete(records.keys().next().value as string);
    if (status.status !== 'pending') waiters.get(receiptId)?.forEach((wake) => wake());
  };

  function settled(receiptId: string, waitMs: number, signal?: AbortSignal): Promise<void> {
    if (records.get(receiptId)?.status !== 'pending' || waitMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const forReceipt = waiters.get(receiptId) ?? new Set<() => void>();
      waiters.set(receiptId, forReceipt);
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        forReceipt.delete(wake);
        if (forReceipt.size === 0 && waiters.get(receiptId) === forReceipt) waiters.delete(receiptId);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      signal?.addEventListener('abort', wake, { once: true });
      forReceipt.add(wake);
    });
  }

  function enqueue(job: ProofJob): void {
    if (!faults.deliversProofs()) return;
    const { receiptId, modelId, rows } = job;
    queue = queue.then(async () => {
      let result: Finished;
      try {
        const bundle = await options.prover.prove(job, faults.rowsToProve(rows));
        result = { status: 'ready', bundle };
        options.logger?.info(
          { receiptId, modelId, provingMs: Math.round(bundle.provingMs), rows: rows.length },
          'proof ready',
        );
      } catch (error) {
        if (error instanceof ProvingInterruptedError) return; // still pending: the next start proves it
        result = { status: 'failed', reason: 'proof_failed', message: (error as Error).message };
        if (error instanceof ProvingDisabledError)
          options.logger?.debug({ receiptId, modelId }, 'no proof: proving disabled');
        else options.logger?.warn({ receiptId, modelId, err: error }, 'proof failed');
      }
      remember(receiptId, result);
      options.journal?.append({ t: 'finished', receiptId, result });
    });
  }

  // A previous run's jobs: results are served again, unfinished jobs are proved again (in the order requested).
  const unfinished = new Map<string, ProofJob>();
  for (const record of options.journal?.replay() ?? []) {
    if (record.t === 'requested') {
      const { t: _t, ...job } = record;
      unfinished.set(job.receiptId, job);
      remember(job.receiptId, { status: 'pending' });
    } else {
      unfinished.delete(record.receiptId);
      remember(record.receiptId, record.result);
    }
  }
  for (const job of unfinished.values()) enqueue(job);
  if (unfinished.size > 0)
    options.logger?.info({ proofs: unfinished.size }, 'proving again what the previous run left unfinished');

  function accept(receiptId: string, modelId: string, rows: number[][], outputs: number[][]): () => void {
    if (records.has(receiptId)) return () => undefined;
    remember(receiptId, { status: 'pending' });
    const job = { receiptId, modelId, rows, outputs };
    options.journal?.append({ t: 'requested', ...job });
    return () => enqueue(job);
  }

  return {
    accept,
    request: (receiptId, modelId, rows, outputs) => accept(receiptId, modelId, rows, outputs)(),
    get: (receiptId) => records.get(receiptId),
    handle(receiptId) {
      const record = records.get(receiptId);
      if (!record)
        return {
          status: 404,
          body: { reason: 'proof_unavailable', message: `no proof was requested for receipt ${receiptId}` },
        };
      return { status: record.status === 'ready' ? 200 : record.status === 'pending' ? 202 : 500, body: record };
    },
    settled,
    idle: () => queue,
  };
}
