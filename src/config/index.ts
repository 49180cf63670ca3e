// Public surface of the configuration: the only module that reads process.env.
export {
  loadConfig,
  ConfigError,
  DEVELOPMENT_KEY_INDEX,
  KEY_ROLES,
  type EngineConfig,
  type KeyRole,
  type LoadOptions,
} from './load';
export { anvilAccounts, anvilPrivateKey, isDevelopmentKey, ANVIL_ACCOUNT_COUNT } from './development-keys';
export { settingsTree } from './schema';
export { configurationTable } from './docs';
export { withConfigurationTable, writeConfigurationTable } from './readme-table';
export { configToEnv } from './to-env';
