// `proofpath config [docs]`: prints the effective configuration (secrets redacted) or the settings table.
import { configurationTable } from '../../config';
import type { Command } from '../command';

export const configCommand: Command = {
  name: 'config',
  summary: 'print the effective configuration (secrets redacted), or `config docs` for the settings table',
  async run({ config, args }) {
    if (args[0] === 'docs') {
      process.stdout.write(`${configurationTable()}\n`);
      return;
    }
    const redacted = { ...config, keys: Object.fromEntries(Object.keys(config.keys).map((k) => [k, '[redacted]'])) };
    process.stdout.write(`${JSON.stringify(redacted, null, 2)}\n`);
  },
};
