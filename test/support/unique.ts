// Unique names per test, so suites never share topics, groups or workflow ids.
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
