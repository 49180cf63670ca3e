// Command-line parsing for every subcommand: node:util parseArgs in strict mode, with its errors turned into
// UsageError (exit 2, usage on stderr), plus the value types the commands share (durations, counts, choices).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict parse: an unknown flag, a flag without its value or too many/few positionals is a UsageError. */
export function parseCommandArgs<O extends Options>(
  args: string[],
  options: O,
  positionals: { min?: number; max?: number; names?: string } = {},
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: (positionals.max ?? 0) > 0 });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { min = 0, max = 0, names = 'arguments' } = positionals;
  if (parsed.positionals.length < min) throw new UsageError(`missing ${names}`);
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  return parsed;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `120s`, `2m`, `500ms`, `1h`; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 120s, 2m or 500ms, got "${text}"`);
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
  if (ms <= 0) throw new UsageError(`${flag} must be longer than 0`);
  return ms;
}

export function parsePositiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value <= 0)
    throw new UsageError(`${flag} must be a whole number greater than 0, got "${text}"`);
  return value;
}

export function parseChoice<T extends string>(text: string | undefined, choices: readonly T[], what: string): T {
  if (text === undefined) throw new UsageError(`missing ${what} (${choices.join('|')})`);
  if (!(choices as readonly string[]).includes(text))
    throw new UsageError(`unknown ${what} "${text}" (expected ${choices.join('|')})`);
  return text as T;
}
