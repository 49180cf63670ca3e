// The README's configuration table is the one generated from the schema.
import fs from 'node:fs';
import path from 'node:path';
import { withConfigurationTable } from '../../../src/config';

it('README configuration table matches the settings schema (run `npm run docs:config` to refresh)', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  expect(withConfigurationTable(readme)).toBe(readme);
  expect(readme).toContain('| `PROOFPATH_MODE` | mode |');
});
