// Reads the settings tree from an environment, reports every problem at once, and applies the mode's rules.
import { EngineError } from '../errors';
import os from 'node:os';
import path from 'node:path';
import { anvilPrivateKey, isDevelopmentKey } from './development-keys';
import { settingsTree } from './schema';
import { flattenSettings, type ConfigOf } from './settings';

type RawConfig = ConfigOf<typeof settingsTree>;
export type KeyRole = keyof RawConfig['keys'];
export type EngineConfig = Omit<RawConfig, 'stateDir' | 'cacheDir' | 'keys' | 'attestation'> & {
  stateDir: string;
  cacheDir: string;
  keys: Record<KeyRole, `0x${string}`>;
  attestation: { allowDevelopmentRoot: boolean; nsmHelperUrl?: string };
};

/** Thrown when settings are missing or invalid; lists every problem with its environment variable. */
export class ConfigError extends EngineError<'config_invalid'> {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super('config_invalid', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: { problems },
    });
  }
}

/** The anvil account each role uses in development (see README, "Development keys"). */
export const DEVELOPMENT_KEY_INDEX: Record<KeyRole, number> = {
  deployer: 0,
  facilitator: 1,
  node: 2,
  verifier: 3,
  payer: 4,
};

export type LoadOptions = {
  /**
   * The keys this process signs with. In production only these are required; reading any other key throws a
   * ConfigError naming it, so a process never holds (or needs) a secret it does not use. Default: every key.
   */
  keyRoles?: readonly KeyRole[];
};

export const KEY_ROLES = Object.keys(DEVELOPMENT_KEY_INDEX) as KeyRole[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): EngineConfig {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [keyPath, s] of flattenSettings(settingsTree)) {
    const value = env[s.env] === '' ? undefined : env[s.env];
    const parsed = s.schema.safeParse(value);
    if (!parsed.success) {
      const shown = s.secret ? '<redacted>' : JSON.stringify(value);
      problems.push(`${s.env}=${shown}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      continue;
    }
    assignPath(raw, keyPath, parsed.data);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = raw as RawConfig;
  const resolved: EngineConfig = {
    ...config,
    ...resolveDirectories(config, env),
    keys: resolveKeys(config, options.keyRoles ?? KEY_ROLES, problems),
    attestation: {
      ...config.attestation,
      allowDevelopmentRoot: config.attestation.allowDevelopmentRoot ?? config.mode === 'development',
    },
  };
  if (config.mode === 'production') problems.push(...productionProblems(resolved, config));
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}

function assignPath(target: Record<string, unknown>, keyPath: string[], value: unknown): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keyPath[keyPath.length - 1] as string] = value;
}

function resolveDirectories(config: RawConfig, env: NodeJS.ProcessEnv): { stateDir: string; cacheDir: string } {
  const home = env.HOME ?? os.homedir();
  return {
    stateDir: config.stateDir ?? path.join(env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'proofpath'),
    cacheDir: config.cacheDir ?? path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'proofpath'),
  };
}

function resolveKeys(
  config: RawConfig,
  required: readonly KeyRole[],
  problems: string[],
): Record<KeyRole, `0x${string}`> {
  const keys = {} as Record<KeyRole, `0x${string}`>;
  for (const role of KEY_ROLES) {
    const given = config.keys[role];
    const env = settingsTree.keys[role].env;
    if (given) keys[role] = given;
    else if (config.mode === 'development') keys[role] = anvilPrivateKey(DEVELOPMENT_KEY_INDEX[role]);
    else if (required.includes(role)) problems.push(`${env} is required in production mode`);
    else {
      Object.defineProperty(keys, role, {
        enumerable: false,
        get: () => {
          throw new ConfigError([
            `${env} is not set: this process was started without it (production mode requires each process's own keys only)`,
          ]);
        },
      });
    }
  }
  return keys;
}

function productionProblems(config: EngineConfig, raw: RawConfig): string[] {
  const problems: string[] = [];
  for (const role of KEY_ROLES) {
    const key = raw.keys[role];
    if (key && isDevelopmentKey(key))
      problems.push(`${settingsTree.keys[role].env}: an anvil development key is refused in production mode`);
  }
  if (config.attestation.allowDevelopmentRoot) {
    problems.push('ATTESTATION_ALLOW_DEVELOPMENT_ROOT: the development enclave root is refused in production mode');
  }
  if (config.verification.nodeFaults.length > 0)
    problems.push('NODE_FAULTS: fault injection is for tests and demos and is refused in production mode');
  if (config.chain.tokenAddress === undefined) problems.push('PAYMENT_TOKEN_ADDRESS is required in production mode');
  if (config.chain.registryAddress === undefined)
    problems.push('SETTLEMENT_REGISTRY_ADDRESS is required in production mode');
  return problems;
}
