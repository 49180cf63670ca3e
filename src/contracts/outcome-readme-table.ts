// Keeps the README's decision outcome table identical to DECISION_OUTCOME_REASONS: `npm run docs:decisions` rewrites
// it, a unit test compares. Not exported to workflows (it reads files).
import { rewriteMarkedSection, withMarkedSection } from '../docs';
import { decisionOutcomeTable } from './decision-outcome';

export const withDecisionOutcomeTable = (readme: string): string =>
  withMarkedSection(readme, 'decision-outcomes', decisionOutcomeTable());
export const writeDecisionOutcomeTable = (readmePath: string): void =>
  rewriteMarkedSection(readmePath, 'decision-outcomes', decisionOutcomeTable());
