// Temporal's OpenTelemetry interceptors (@temporalio/interceptors-opentelemetry), wired when tracing is on: the client
// interceptor puts the caller's context into workflow start/signal headers (StartWorkflow, SignalWorkflow spans), the
// workflow interceptors continue it inside the sandbox (RunWorkflow, StartActivity, HandleSignal spans, reported to
// the worker through the `exporter` sink), and the activity interceptors continue it in the activity (RunActivity).
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/**
 * The module the workflow bundle must include for workflow spans. Workflow code is bundled for the sandbox, so the
 * interceptors cannot be passed as objects: the worker registers them by module path (`interceptors.workflowModules`)
 * and a prebuilt bundle must have been built with them (`bundleWorkflowCode({ workflowInterceptorModules })`).
 */
export const TRACING_WORKFLOW_MODULES: readonly string[] = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** Client interceptors for a Temporal client of a traced process (none when tracing is off). */
export function temporalClientInterceptors(tracing: Tracing | undefined): { workflow: WorkflowClientInterceptor[] } {
  return { workflow: tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [] };
}

/**
 * What a worker adds to trace its workflows and activities: the workflow interceptor modules, the activity
 * interceptors, and the sink through which workflow spans reach this process's span processor. Empty when off.
 */
export function workerTracing(tracing: Tracing | undefined): {
  workflowModules: string[];
  activity: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
  sinks: NonNullable<WorkerOptions['sinks']>;
} {
  if (!tracing) return { workflowModules: [], activity: [], sinks: {} };
  return {
    workflowModules: [...TRACING_WORKFLOW_MODULES],
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
