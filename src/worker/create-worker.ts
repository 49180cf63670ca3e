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
 * reused V8 context the SDK otherwise evaluates a workflow's modules for each workflow, and @noble/curves rebuilt its
 * precomputed secp256k1 tables for every decision's verdict-signature check: about 80 ms of CPU per decision. The
 * verdict-signature module is shared, and with it the noble modules it imports (the same builds the workflow code
 * resolves). Only stateless modules can be here: the SDK deep-freezes shared modules and makes their globals every
 * workflow's. Not zod: listed by name it would be zod's CommonJS build, a second copy beside the one the workflows
 * import, whose global config and registry would then be frozen and shared between workflows.
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = [require.resolve('../contracts/verdict-signature')];

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
