// The service's durable store: an append-only JSONL file, one entry per accepted mutation, fsynced before the
// response leaves, replayed at start. Plain files need no native module (better-sqlite3 cannot be installed here) and
// the file is the audit trail tests and people read directly.
import { EngineError } from '../errors';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { JournalEntrySchema, type JournalEntry } from './journal-entry';

export type DurableJournal = {
  readonly file: string;
  /** Resolves once the entry is on disk (write + fdatasync). Callers serialize appends. */
  append(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
};

/** The journal cannot be trusted: a line other than a torn last one is unreadable, or sequence numbers go backwards. */
export class JournalCorruptError extends EngineError<'journal_corrupt'> {
  override readonly name = 'JournalCorruptError';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super('journal_corrupt', `${file}:${line}: ${detail}; move the file aside or repair the line to start the service`);
  }
}

export async function openDurableJournal(
  file: string,
  logger: Logger,
): Promise<{ journal: DurableJournal; entries: JournalEntry[] }> {
  const created = !fs.existsSync(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const entries = created ? [] : readEntries(file, logger);
  const handle = await fs.promises.open(file, 'a');
  // A new file's directory entry must be durable too, or a crash can lose the whole journal after the first fsync.
  if (created) syncDirectory(path.dirname(file));
  return {
    entries,
    journal: {
      file,
      async append(entry) {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.datasync();
      },
      close: () => handle.close(),
    },
  };
}

function readEntries(file: string, logger: Logger): JournalEntry[] {
  let text = fs.readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) {
    // A crash mid-write leaves a last line without its newline. Its request was never answered, so dropping it is
    // safe, and truncating keeps the next append from being glued onto it.
    const keep = text.lastIndexOf('\n') + 1;
    logger.warn({ file, droppedBytes: text.length - keep }, 'dropping torn last journal line');
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  const entries: JournalEntry[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new JournalCorruptError(file, index + 1, 'not JSON');
    }
    const parsed = JournalEntrySchema.safeParse(json);
    if (!parsed.success)
      throw new JournalCorruptError(
        file,
        index + 1,
        `not a journal entry (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
      );
    const previous = entries.at(-1)?.seq ?? 0;
    if (parsed.data.seq <= previous)
      throw new JournalCorruptError(file, index + 1, `seq ${parsed.data.seq} after ${previous}`);
    entries.push(parsed.data);
  });
  return entries;
}

function syncDirectory(directory: string): void {
  try {
    const fd = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the file's own fsync still covers its contents.
  }
}
