// Keeps the README's configuration table identical to the schema: `npm run docs:config` rewrites it, a test compares.
import fs from 'node:fs';
import { configurationTable } from './docs';

const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';

export function withConfigurationTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README is missing the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${configurationTable()}\n${readme.slice(end)}`;
}

export function writeConfigurationTable(readmePath: string): void {
  fs.writeFileSync(readmePath, withConfigurationTable(fs.readFileSync(readmePath, 'utf8')));
}
