// The single writer: every request runs one at a time through a promise queue, so ten identical concurrent requests
// see each other's effects and produce one. A mutation is applied, journaled (fsync) and only then answered.
import type { Logger } from '../log';
import { openDurableJournal, type DurableJournal } from './journal';
import type { JournalEntry } from './journal-entry';
import { refuse, type Outcome } from './outcome';
import { applyEntry, emptyState, type BackOfficeState } from './state';

export type Reply = { status: number; body: unknown };

export type Mutation = {
  /** Idempotency-Key header, if the caller sent one. */
  idempotencyKey?: string;
  /** Identifies the request (method, path, parsed body): a key reused for another request is refused. */
  fingerprint: string;
  /** For the log line of the effect (every line of a decision carries its id). */
  decisionId: string;
  decide(state: BackOfficeState, at: string): Outcome;
};

export type BackOfficeStore = {
  readonly journalFile: string;
  mutate(mutation: Mutation): Promise<Reply>;
  /** Reads run in the same queue, so they never see an effect that is not yet on disk. */
  read<T>(view: (state: BackOfficeState) => T): Promise<T>;
  close(): Promise<void>;
};

export async function openBackOfficeStore(options: {
  file: string;
  logger: Logger;
  now?: () => Date;
}): Promise<BackOfficeStore> {
  const { logger, now = () => new Date() } = options;
  const { journal, entries } = await openDurableJournal(options.file, logger);
  const state = emptyState();
  for (const entry of entries) applyEntry(state, entry);
  logger.info(
    {
      file: journal.file,
      entries: entries.length,
      purchaseOrders: state.purchaseOrders.size,
      tenders: state.tenders.size,
    },
    'journal replayed',
  );

  let tail: Promise<unknown> = Promise.resolve();
  let broken: Error | undefined;
  const enqueue = <T>(task: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
  const unavailable = (): Reply => ({
    status: 503,
    body: {
      error: refuse('store_unavailable', `journal write failed (${broken?.message}); restart the service`).error,
    },
  });

  return {
    journalFile: journal.file,
    mutate: (mutation) =>
      enqueue(() =>
        broken ? unavailable() : execute(state, journal, mutation, now, (error) => (broken = error), logger),
      ),
    read: (view) =>
      enqueue(() => {
        if (broken) throw broken;
        return view(state);
      }),
    close: () => enqueue(() => journal.close()),
  };
}

async function execute(
  state: BackOfficeState,
  journal: DurableJournal,
  mutation: Mutation,
  now: () => Date,
  fail: (e: Error) => void,
  logger: Logger,
): Promise<Reply> {
  const { idempotencyKey: key, fingerprint } = mutation;
  const remembered = key === undefined ? undefined : state.idempotencyKeys.get(key);
  if (remembered) {
    if (remembered.fingerprint === fingerprint) return remembered.response;
    return {
      status: 409,
      body: {
        error: refuse('idempotency_key_reused', `Idempotency-Key ${key} was first used for a different request`).error,
      },
    };
  }
  const at = now().toISOString();
  const outcome = mutation.decide(state, at);
  if (!outcome.ok) return { status: outcome.status, body: { error: outcome.error } };
  if (outcome.events.length === 0) return { status: outcome.status, body: outcome.result(state) };

  const entry: JournalEntry = { seq: state.lastSeq + 1, at, events: outcome.events };
  applyEntry(state, entry);
  const reply: Reply = { status: outcome.status, body: outcome.result(state) };
  // Keys are bound only to requests that had an effect: a repeat is answered from the state and needs no record.
  if (key !== undefined) {
    entry.idempotency = { key, fingerprint, response: reply };
    state.idempotencyKeys.set(key, entry.idempotency);
  }
  try {
    await journal.append(entry);
  } catch (error) {
    // Memory is now ahead of disk: refuse everything until a restart replays what really reached the journal.
    const failure = error instanceof Error ? error : new Error(String(error));
    fail(failure);
    logger.error({ err: failure, seq: entry.seq }, 'journal append failed; store refuses further requests');
    return {
      status: 503,
      body: {
        error: refuse('store_unavailable', `journal write failed (${failure.message}); restart the service`).error,
      },
    };
  }
  logger.info(
    { seq: entry.seq, events: entry.events.map((e) => e.type), decisionId: mutation.decisionId },
    'effect journaled',
  );
  return reply;
}
