// Starts the verifier process: trust policy from config, the model runtime for re-execution, proving keys per model id.
import type { Logger } from 'pino';
import type { EngineConfig } from '../../config';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR, userModelsDirOf, type ModelRuntime } from '../../models';
import { combineMetricsOptions, createMetrics, VERIFICATION_METRICS_OPTIONS, type Metrics } from '../../observability';
import {
  createNativeGroth16Verifier,
  ensureProvingKeys,
  modelBytesFromRegistry,
  nativeGroth16Choice,
  provingKeyPolicyOf,
  releaseProvingResources,
  type ModelBytesSource,
} from '../proof';
import { httpLimitsOf } from '../../http-limits';
import { privateKeyToAccount } from 'viem/accounts';
import { ConfigError } from '../../config';
import type { ReceiptSignerRecovery } from '../receipt';
import { startVerifierHttp } from './http-server';
import { createNodeClient } from './node-client';
import { loadAttestationPolicy, type AttestationPolicy } from './policy';
import { createVerdictStore, type VerdictPublisher } from './verdict-store';
import { verdictSignerFor } from './verdict-signer';
import { verifyReceiptJob } from './verify-receipt-job';

export type StartVerifierOptions = {
  config: EngineConfig;
  logger: Logger;
  /** Defaults to config.ports.verifier; 0 picks a free port. */
  port?: number;
  publisher?: VerdictPublisher;
  runtime?: ModelRuntime;
  loadModel?: ModelBytesSource;
  /** Overrides the policy read from config (tests pin their own roots and registry). */
  policy?: () => Promise<AttestationPolicy>;
  recoverSigner?: ReceiptSignerRecovery;
  /** Export Node.js process metrics (CPU, memory, event loop) at /metrics: the verifier is the whole process. */
  processMetrics?: boolean;
};

export async function startVerifier(
  options: StartVerifierOptions,
): Promise<{ url: string; metrics: Metrics; close(): Promise<void> }> {
  const { config, logger } = options;
  const userModelsDir = userModelsDirOf(config);
  const runtime = options.runtime ?? (await createOnnxModelRuntime({ userModelsDir }));
  const loadModel = options.loadModel ?? modelBytesFromRegistry(DEFAULT_MODELS_DIR, userModelsDir);
  // The allow-list may be re-signed while the verifier runs (a node registers): re-read it at most every 5 s.
  let cached: { at: number; policy: Promise<AttestationPolicy> } | undefined;
  const policy =
    options.policy ??
    (() => {
      if (!cached || Date.now() - cached.at > 5000) cached = { at: Date.now(), policy: loadAttestationPolicy(config) };
      return cached.policy;
    });
  // Chosen once, at start, like the node's prover: a verifier never builds the binary (`stack up` does).
  const native = await nativeGroth16Choice(
    'verifier',
    { backend: config.verification.proofBackend, binary: config.models.proverBinary },
    config.cacheDir,
    logger,
  );
  const nativeVerifier = native ? createNativeGroth16Verifier(native.binary, logger) : undefined;
  logger.info({ groth16: native ? 'native' : 'snarkjs', binary: native?.binary }, 'Groth16 verifier chosen');
  const submitters = jobSubmittersOf(config);
  // Every verdict leaves signed (HTTP and Kafka alike): the bridge and the decision count only signed ones.
  const signVerdict = verdictSignerFor(config.keys.verifier);
  const store = createVerdictStore();
  const metrics = createMetrics(
    combineMetricsOptions({ processMetrics: options.processMetrics }, VERIFICATION_METRICS_OPTIONS),
  );
  const http = await startVerifierHttp({
    host: config.ports.host,
    port: options.port ?? config.ports.verifier,
    store,
    publisher: options.publisher,
    logger,
    metrics,
    limits: httpLimitsOf(config, 'verifier'),
    submitters,
    jobMaxAgeMs: config.verification.jobMaxAgeMs,
    runJob: async (job) =>
      signVerdict(
        await verifyReceiptJob(job, {
          nodeClient: createNodeClient,
          policy,
          // Production refuses keys set up from the local development-only powers of tau (the check then fails, named).
          provingKeys: (modelId) => ensureProvingKeys(modelId, config.cacheDir, loadModel, provingKeyPolicyOf(config)),
          runtime,
          groth16Verify: nativeVerifier?.verify,
          proofSupport: (modelId) => {
            try {
              return runtime.describe(modelId).proof;
            } catch {
              return undefined;
            }
          },
          recoverSigner: options.recoverSigner,
          keyMaxAgeMs: config.verification.keyMaxAgeMs,
          timeouts: {
            attestationMs: config.verification.attestationTimeoutMs,
            proofMs: config.verification.proofTimeoutMs,
            reexecutionMs: config.verification.reexecutionTimeoutMs,
            proofPollMs: config.verification.proofPollMs,
            proofWaitMs: config.verification.proofWaitMs,
          },
          logger,
        }),
      ),
  });
  logger.info({ url: http.url, submitters }, 'verifier listening');
  return {
    url: http.url,
    metrics,
    async close() {
      try {
        await http.close();
        await http.inFlight();
        if (!options.runtime) await runtime.close();
      } finally {
        // Even when a close above fails: the binary's process would otherwise hold this one open.
        nativeVerifier?.close();
        await releaseProvingResources();
      }
    },
  };
}

/** Who may submit jobs: VERIFIER_JOB_SUBMITTERS, or in development the worker's payer account. */
function jobSubmittersOf(config: EngineConfig): string[] {
  if (config.verification.jobSubmitters.length > 0) return config.verification.jobSubmitters;
  if (config.mode === 'development') return [privateKeyToAccount(config.keys.payer).address];
  throw new ConfigError([
    'VERIFIER_JOB_SUBMITTERS is required in production mode: the addresses (engine payer accounts) allowed to submit verification jobs',
  ]);
}
