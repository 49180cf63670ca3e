// Command-line parsing: strict flags, positional counts, durations and choices all fail as usage errors (exit 2).
import { parseChoice, parseCommandArgs, parseDuration, parsePositiveInt } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/errors';
import { ExitCode } from '../../../src/cli/exit-codes';

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  const options = { topic: { type: 'string', short: 't' }, json: { type: 'boolean' } } as const;

  it('reads long and short flags and positionals', () => {
    const { values, positionals } = parseCommandArgs(['tail', '-t', 'dlq', '--json'], options, { min: 1, max: 1 });
    expect(values).toEqual({ topic: 'dlq', json: true });
    expect(positionals).toEqual(['tail']);
  });

  it('refuses an unknown flag as a usage error (exit 2)', () => {
    const error = usageErrorOf(() => parseCommandArgs(['tail', '--bogus'], options, { max: 1 }));
    expect(error.message).toBe("Unknown option '--bogus'");
    expect(error.exitCode).toBe(ExitCode.USAGE);
  });

  it('refuses a string flag without its value', () => {
    expect(usageErrorOf(() => parseCommandArgs(['tail', '--topic'], options, { max: 1 })).message).toMatch(/--topic/);
  });

  it('refuses missing and extra positionals, naming them', () => {
    expect(usageErrorOf(() => parseCommandArgs([], options, { min: 1, max: 1, names: 'action (tail)' })).message).toBe(
      'missing action (tail)',
    );
    expect(usageErrorOf(() => parseCommandArgs(['tail', 'extra'], options, { min: 1, max: 1 })).message).toBe(
      'unexpected argument "extra"',
    );
    expect(usageErrorOf(() => parseCommandArgs(['stray'], {})).message).toMatch(/stray/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['120s', 120_000],
    ['2m', 120_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['90', 90_000],
    ['1.5s', 1_500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['', 'soon', '5x', '-1s', '0s'])('refuses "%s"', (text) => {
    expect(usageErrorOf(() => parseDuration(text, '--timeout')).message).toMatch(/^--timeout must be/);
  });
});

describe('parsePositiveInt and parseChoice', () => {
  it('reads whole numbers above 0 only', () => {
    expect(parsePositiveInt('100', '--lines')).toBe(100);
    for (const bad of ['0', '-3', '2.5', 'ten'])
      expect(usageErrorOf(() => parsePositiveInt(bad, '--lines')).message).toMatch(/^--lines must be/);
  });

  it('accepts a listed choice and names the choices when refusing', () => {
    expect(parseChoice('routing', ['procurement', 'routing'] as const, 'decision kind')).toBe('routing');
    expect(
      usageErrorOf(() => parseChoice('shipping', ['procurement', 'routing'] as const, 'decision kind')).message,
    ).toBe('unknown decision kind "shipping" (expected procurement|routing)');
    expect(
      usageErrorOf(() => parseChoice(undefined, ['procurement', 'routing'] as const, 'decision kind')).message,
    ).toBe('missing decision kind (procurement|routing)');
  });
});
