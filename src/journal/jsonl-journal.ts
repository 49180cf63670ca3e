// An append-only JSONL journal: each state change is one line, replayed at start so a restarted process keeps its
// state (the node's receipts and cached responses, channel books). appendFileSync survives a process crash (the OS has the
// bytes); it does not fsync.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';

export type Journal<R> = { append(record: R): void; replay(): R[]; readonly file: string };

export function openJournal<R>(file: string, logger: Logger): Journal<R> {
  // The folder is made with the first record: a journal that is never written (a payer that never uses a channel)
  // leaves nothing behind.
  let folderMade = false;
  return {
    file,
    append(record) {
      if (!folderMade) fs.mkdirSync(path.dirname(file), { recursive: true });
      folderMade = true;
      fs.appendFileSync(
        file,
        `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      );
    },
    replay() {
      if (!fs.existsSync(file)) return [];
      const records: R[] = [];
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          records.push(JSON.parse(line) as R);
        } catch {
          // Only the last line can be torn by a crash mid-write; skip it rather than refuse to start.
          logger.warn({ file, line: i + 1 }, 'skipping unreadable journal line');
        }
      });
      return records;
    },
  };
}
