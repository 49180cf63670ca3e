// `proofpath config [docs]`: prints the effective configuration (secrets redacted) or the settings table.
import { configurationTable } from '../../config';
import { parseChoice, parseCommandArgs } from '../args';
import type { ToolCommand } from '../command';

export const configCommand: ToolCommand = {
  name: 'config',
  summary: 'print the effective configuration (secrets redacted), or `config docs` for the settings table',
  usage:
    'config [docs]\n\n  (none)  the effective configuration as JSON, secrets redacted\n  docs    the settings table (Markdown) the README embeds',
  async run({ config, args }) {
    const { positionals } = parseCommandArgs(args, {}, { max: 1 });
    if (positionals[0] !== undefined && parseChoice(positionals[0], ['docs'] as const, 'config action') === 'docs') {
      process.stdout.write(`${configurationTable()}\n`);
      return;
    }
    const redacted = { ...config, keys: Object.fromEntries(Object.keys(config.keys).map((k) => [k, '[redacted]'])) };
    process.stdout.write(`${JSON.stringify(redacted, null, 2)}\n`);
  },
};
