// Formatting for people: durations, bars, tables, percentiles.
import { formatDuration, percentile, progressBar, renderTable } from '../../../src/terminal';

describe('terminal formatting', () => {
  it('formats durations at the scale a person reads them', () => {
    expect(formatDuration(412)).toBe('412 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(285_000)).toBe('4 min 45 s');
  });

  it('draws a clamped progress bar', () => {
    expect(progressBar(0.5, 10)).toBe('[█████░░░░░]  50%');
    expect(progressBar(2, 4)).toBe('[████] 100%');
    expect(progressBar(Number.NaN, 4)).toBe('[░░░░]   0%');
  });

  it('aligns table columns, numbers to the right', () => {
    const table = renderTable(
      [{ header: 'status' }, { header: 'n', align: 'right' }],
      [
        ['VERIFIED', 18],
        ['ROLLED_BACK', 4],
      ],
    );
    expect(table.split('\n')).toEqual(['status        n', '───────────  ──', 'VERIFIED     18', 'ROLLED_BACK   4']);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
  });
});
