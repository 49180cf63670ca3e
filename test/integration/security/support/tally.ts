// Counts what a bad-input campaign tried and how each surface answered, and prints the table the README quotes.
import fs from 'node:fs';
import path from 'node:path';

export type Answer = { refused: boolean; reason: string };

export type Tally = {
  /** Records one hostile input: refused (a 4xx or dead letter with a named reason) or not. */
  record(surface: string, input: string, answer: Answer): void;
  counts(surface: string): { tried: number; refused: number };
  table(): string;
  /** Appends this file's rows to the campaign summary (one JSON object per surface) for the README. */
  save(file: string): void;
};

export function createTally(): Tally {
  const rows = new Map<string, { tried: number; refused: number; reasons: Map<string, number>; accepted: string[] }>();
  return {
    record(surface, input, answer) {
      const row = rows.get(surface) ?? {
        tried: 0,
        refused: 0,
        reasons: new Map<string, number>(),
        accepted: [] as string[],
      };
      rows.set(surface, row);
      row.tried += 1;
      if (answer.refused) {
        row.refused += 1;
        row.reasons.set(answer.reason, (row.reasons.get(answer.reason) ?? 0) + 1);
      } else row.accepted.push(`${input}: ${answer.reason}`);
    },
    counts: (surface) => ({ tried: rows.get(surface)?.tried ?? 0, refused: rows.get(surface)?.refused ?? 0 }),
    table() {
      const lines = [['surface', 'tried', 'refused', 'reasons'].join(' | ')];
      for (const [surface, row] of rows) {
        const reasons = [...row.reasons]
          .sort((a, b) => b[1] - a[1])
          .map(([r, n]) => `${r} ${n}`)
          .join(', ');
        lines.push([surface, row.tried, row.refused, reasons].join(' | '));
        if (row.accepted.length > 0) lines.push(`  NOT refused: ${row.accepted.slice(0, 5).join('; ')}`);
      }
      return lines.join('\n');
    },
    save(file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const text = [...rows]
        .map(([surface, row]) =>
          JSON.stringify({ surface, tried: row.tried, refused: row.refused, reasons: Object.fromEntries(row.reasons) }),
        )
        .join('\n');
      fs.appendFileSync(file, `${text}\n`);
    },
  };
}
