// Builds the Temporal worker that runs the decision workflows and their activities, with the activity metrics (when
// given a registry) and, when the process traces, Temporal's OpenTelemetry interceptors and workflow span sink.
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { EngineConfig } from '../config';
import { temporalConnectionOptions } from '../decisions/temporal-connection';
import type { Logger } from '../log';
import { installTemporalRuntimeLogger } from '../log';
import {
  activeTracing,
  activityMetricsInterceptor,
  TRACING_WORKFLOW_MODULES,
  workerTracing,
  type Metrics,
} from '../observability';

export const WORKFLOWS_PATH = require.resolve('../../workflows');

/**
 * Modules evaluated once per workflow thread and shared by every workflow it runs (the SDK's `preloadModules`). With a
 * reused V8 context the SDK otherwise evaluates the bundle's modules again for each workflow, and @noble/curves rebuilt
 * its precomputed secp256k1 tables for every decision's verdict-signature check: about 80 ms of CPU per decision, most
 * of the worker's signature arithmetic. The SDK deep-freezes shared modules, so only modules that never add properties
 * to their exports after loading can be here: noble's (its point memo is a WeakMap of deterministic values) and the
 * verdict-signature check built on it. zod schemas cannot (zod defines some members lazily, on first use).
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = [
  'zod',
  '@noble/curves/secp256k1',
  '@noble/hashes/sha3',
  '@noble/hashes/utils',
  require.resolve('../contracts/verdict-signature'),
];

export type DecisionWorker = { worker: Worker; connection: NativeConnection };

export async function createDecisionWorker(
  config: EngineConfig,
  logger: Logger,
  options: {
    activities: object;
    /** A prebuilt bundle (tests): when the process traces, it must come from `bundleDecisionWorkflows({ traced: true })`. */
    workflowBundle?: WorkerOptions['workflowBundle'];
    taskQueue?: string;
    metrics?: Metrics;
  },
): Promise<DecisionWorker> {
  installTemporalRuntimeLogger(logger);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    activities: options.activities,
    ...decisionWorkerObservability(options.metrics, Boolean(options.workflowBundle)),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: [...SHARED_WORKFLOW_MODULES] } }),
  });
  return { worker, connection };
}

/**
 * Interceptors and sinks of a decision worker: activity metrics, and the tracing interceptors when the process traces.
 * A worker given a prebuilt bundle cannot add workflow interceptor modules (they are compiled into the bundle).
 */
export function decisionWorkerObservability(
  metrics: Metrics | undefined,
  prebuiltBundle: boolean,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const tracing = workerTracing(activeTracing());
  return {
    interceptors: {
      activity: [...tracing.activity, ...(metrics ? [activityMetricsInterceptor(metrics)] : [])],
      workflowModules: prebuiltBundle ? [] : tracing.workflowModules,
    },
    sinks: tracing.sinks,
  };
}

/** Bundles the decision workflows ahead of time (tests bundle once per run); `traced` compiles in the tracing interceptors. */
export async function bundleDecisionWorkflows(options: {
  traced: boolean;
  onError?: (message: string) => void;
}): Promise<string> {
  const quiet = {
    log() {},
    trace() {},
    debug() {},
    info() {},
    warn() {},
    error: (message: string) => options.onError?.(message),
  };
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: options.traced ? [...TRACING_WORKFLOW_MODULES] : [],
    preloadModules: [...SHARED_WORKFLOW_MODULES],
    logger: quiet,
  });
  return code;
}
