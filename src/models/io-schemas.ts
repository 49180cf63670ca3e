// Zod schemas of a model's input rows and output rows, derived from its manifest entry.
import { z } from 'zod';

/** Rows of exactly `width` finite numbers, at least one row and at most `maxRows`. */
export function rowsSchema(width: number, maxRows: number) {
  const row = z
    .array(z.number().refine(Number.isFinite, 'must be a finite number'))
    .length(width, `must have exactly ${width} values`);
  return z.array(row).min(1, 'must contain at least one row').max(maxRows, `must contain at most ${maxRows} rows`);
}

export type Rows = number[][];
