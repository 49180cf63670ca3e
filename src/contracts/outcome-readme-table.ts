// Keeps the README's decision outcome table identical to DECISION_OUTCOME_REASONS: `npm run docs:decisions` rewrites
// it, a unit test compares. Not exported to workflows (it reads files).
import fs from 'node:fs';
import { decisionOutcomeTable } from './decision-outcome';

const START = '<!-- decision-outcomes:start -->';
const END = '<!-- decision-outcomes:end -->';

export function withDecisionOutcomeTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README is missing the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${decisionOutcomeTable()}\n${readme.slice(end)}`;
}

export function writeDecisionOutcomeTable(readmePath: string): void {
  fs.writeFileSync(readmePath, withDecisionOutcomeTable(fs.readFileSync(readmePath, 'utf8')));
}
