// Validates builder input with a zod schema and turns the first issue into a FeatureValidationError naming the field.
import type { z } from 'zod';
import { FeatureValidationError } from '../errors';

/** `['candidates', 2, 'onTimeRate']` -> `candidates[2].onTimeRate`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

export function parseFeatureInput<S extends z.ZodType>(schema: S, input: unknown, root = ''): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    field: formatFieldPath(root === '' ? issue.path : [root, ...issue.path]) || '(input)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(input)', message: 'invalid' };
  throw new FeatureValidationError(first.field, first.message, issues);
}
