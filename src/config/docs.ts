// Renders the settings tree as the README's configuration table (`npm run engine -- config docs`).
import type { z } from 'zod';
import { settingsTree } from './schema';
import { flattenSettings } from './settings';

function defaultOf(schema: z.ZodType): string {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return '';
  return Array.isArray(parsed.data) ? parsed.data.join(',') : String(parsed.data);
}

export function configurationTable(): string {
  const rows = flattenSettings(settingsTree).map(([keyPath, s]) => {
    const fallback = s.defaultLabel ?? defaultOf(s.schema);
    return `| \`${s.env}\` | ${keyPath.join('.')} | ${fallback ? `\`${fallback}\`` : '(none)'} | ${s.description} |`;
  });
  return ['| variable | setting | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
