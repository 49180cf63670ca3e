// After the services are healthy: what the engine needs on them in development. Every step is idempotent and cached,
// so `stack up` (and the integration tests' global setup) can run any number of times.
//   - Kafka topics with explicit partitions and replication;
//   - the dev chain's contracts (EIP-3009 token, settlement registry, Multicall3 stand-in), reused when still deployed;
//   - the development enclave root (a stand-in for AWS Nitro hardware; refused in production);
//   - zkML proving keys per model id (development-only local setup; about a minute the first time).
import { ensureDevelopmentContracts } from '../chain';
import type { EngineConfig } from '../config';
import { ensureTopics } from '../kafka/topics';
import type { Logger } from '../log';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../models';
import { ensureDevelopmentRoot, ensureProvingKeys, modelBytesFromRegistry } from '../verification';

export async function provisionStack(config: EngineConfig, logger: Logger): Promise<void> {
  await ensureTopics(config, logger);
  if (config.mode !== 'development') return;
  await ensureDevelopmentContracts(config, logger);
  await ensureDevelopmentRoot(config.stateDir);
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const loadModel = modelBytesFromRegistry();
  for (const model of manifest.models) {
    const started = Date.now();
    await ensureProvingKeys(model.id, config.cacheDir, loadModel);
    logger.debug({ model: model.name, ms: Date.now() - started }, 'proving keys ready');
  }
}
