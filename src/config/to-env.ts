// The inverse of loadConfig: the environment that reproduces a configuration, for starting engine processes as
// children (tests that kill a worker process, supervisors). Secrets are included: pass the result only to children.
import { settingsTree } from './schema';
import { flattenSettings } from './settings';
import type { EngineConfig } from './load';

export function configToEnv(config: EngineConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [keyPath, s] of flattenSettings(settingsTree)) {
    const value = keyPath.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
    if (value === undefined) continue;
    env[s.env] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return env;
}
