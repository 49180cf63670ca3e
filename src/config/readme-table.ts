// Keeps the README's configuration table identical to the schema: `npm run docs:config` rewrites it, a test compares.
import { rewriteMarkedSection, withMarkedSection } from '../docs';
import { configurationTable } from './docs';

export const withConfigurationTable = (readme: string): string =>
  withMarkedSection(readme, 'config-table', configurationTable());
export const writeConfigurationTable = (readmePath: string): void =>
  rewriteMarkedSection(readmePath, 'config-table', configurationTable());
