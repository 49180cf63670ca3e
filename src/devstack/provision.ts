// After the services are healthy: what the engine needs on them in development. Every step is idempotent and cached,
// so `stack up` (and the integration tests' global setup) can run any number of times.
//   - Kafka topics with explicit partitions and replication;
//   - the dev chain's contracts (EIP-3009 token, settlement registry, Multicall3 stand-in), reused when still deployed;
//   - the development enclave root (a stand-in for AWS Nitro hardware; refused in production);
//   - the native Groth16 prover, built with cargo once per machine (PROVER_BACKEND auto or native);
//   - zkML proving keys per model id (development-only local setup; about a minute the first time).
import { ensureDevelopmentContracts } from '../chain';
import type { EngineConfig } from '../config';
import { ensureTopics } from '../kafka/topics';
import type { Logger } from '../log';
import { DEFAULT_MODELS_DIR, loadModelManifest } from '../models';
import { createLoggingStepReporter, type StepReporter } from '../terminal';
import {
  builtNativeProver,
  ensureDevelopmentRoot,
  ensureNativeProver,
  ensureProvingKeys,
  NativeProverUnavailableError,
  loadProvingKeys,
  modelBytesFromRegistry,
  provingKeysDir,
} from '../verification';

export async function provisionStack(
  config: EngineConfig,
  logger: Logger,
  steps: StepReporter = createLoggingStepReporter(logger),
  /** Stops a build in progress (the native prover's cargo runs in its own process group, out of the terminal's reach). */
  signal?: AbortSignal,
): Promise<void> {
  await steps.run('kafka: topics', () => ensureTopics(config, logger));
  if (config.mode !== 'development') return;
  await steps.run('chain: development contracts (token, settlement registry, Multicall3)', () =>
    ensureDevelopmentContracts(config, logger),
  );
  await steps.run('attestation: development enclave root (stand-in for Nitro hardware)', () =>
    ensureDevelopmentRoot(config.stateDir),
  );
  if (
    config.models.prover !== 'snarkjs' &&
    !config.models.proverBinary &&
    !(await builtNativeProver(config.cacheDir))
  ) {
    // First run only; `auto` nodes prove with snarkjs if this fails (the step says why), `native` nodes refuse to start.
    await steps.run(
      'zk: native Groth16 prover (first run only: cargo build, about a minute)',
      async () => {
        const prover = await ensureNativeProver(config.cacheDir, logger, signal);
        if (!prover.available && config.models.prover === 'native')
          throw new NativeProverUnavailableError(prover.reason);
        return prover;
      },
      {
        summary: (prover) =>
          prover.available ? prover.binary : `not built, nodes prove with snarkjs: ${prover.reason}`,
      },
    );
  }
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const loadModel = modelBytesFromRegistry();
  const missing: typeof manifest.models = [];
  for (const model of manifest.models)
    if (!(await loadProvingKeys(provingKeysDir(config.cacheDir, model.id)))) missing.push(model);
  if (missing.length === 0) return;
  // First run only: a local powers of tau (development-only) and a Groth16 setup per model, tens of seconds each.
  await steps.run(
    `zk: proving keys for ${missing.length} model(s) (first run only: local powers of tau and Groth16 setup)`,
    async (step) => {
      for (const [index, model] of missing.entries()) {
        step.progress({ done: index, total: missing.length, note: `setting up ${model.name}` });
        await ensureProvingKeys(model.id, config.cacheDir, loadModel);
      }
      step.progress({ done: missing.length, total: missing.length, note: 'done' });
    },
    { summary: () => missing.map((m) => m.name).join(', ') },
  );
}
