// The README's decision outcome table is the one generated from DECISION_OUTCOME_REASONS (`npm run docs:decisions`).
import fs from 'node:fs';
import path from 'node:path';
import { DECISION_OUTCOME_REASONS, FAILED_CHECKS } from '../../../src/contracts/decision-outcome';
import { withDecisionOutcomeTable } from '../../../src/contracts/outcome-readme-table';

it('README.md holds the generated decision outcome table', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  expect(withDecisionOutcomeTable(readme)).toBe(readme);
});

it('names a row for every code, and every failed check a code can name is a known check', () => {
  const readme = withDecisionOutcomeTable('<!-- decision-outcomes:start -->\n<!-- decision-outcomes:end -->');
  for (const [code, row] of Object.entries(DECISION_OUTCOME_REASONS)) {
    expect(readme).toContain(`| \`${code}\` | ${row.status} |`);
    for (const check of row.failedChecks) expect(Object.keys(FAILED_CHECKS)).toContain(check);
  }
});

it('refuses a README without the table markers', () => {
  expect(() => withDecisionOutcomeTable('# no table here')).toThrow(/decision-outcomes:start/);
});
