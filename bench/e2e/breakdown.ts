// Where one decision's fast path spends its time, read from the workflow histories Temporal keeps: the bridge (event
// time → workflow started), each workflow task (queued, run), each activity (queued, run) up to the completion of the
// activity that published `decision.acted`. Medians over the light phase's decisions; every figure is the server's
// event time, so the lanes' processes need no instrumentation and the breakdown is what the bench's decisions did.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { percentile } from '../report';

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One segment of the fast path: median milliseconds over the decisions read, and how many decisions had it. */
export type BreakdownSegment = { segment: string; p50Ms: number; meanMs: number; decisions: number };

const millisOf = (event: HistoryEvent): number => {
  const t = event.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : Number.NaN;
};

/** The segments of one history, in order, up to the completed `decision.acted` publication. */
export function segmentsOfHistory(
  events: HistoryEvent[],
  times: { sentAtMs?: number; actedAtMs?: number } = {},
): Array<[string, number]> {
  const { sentAtMs, actedAtMs } = times;
  const segments: Array<[string, number]> = [];
  const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  if (!started) return segments;
  if (sentAtMs !== undefined) segments.push(['bridge: event sent → workflow started', millisOf(started) - sentAtMs]);
  const byId = new Map<number, HistoryEvent>(events.map((e) => [Number(e.eventId), e]));
  let workflowTask = 0;
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      const scheduled = byId.get(Number(event.workflowTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled) segments.push(['workflow task: queued', millisOf(event) - millisOf(scheduled)]);
    } else if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const startedTask = byId.get(Number(event.workflowTaskCompletedEventAttributes?.startedEventId));
      workflowTask += 1;
      if (startedTask) segments.push(['workflow task: run on the worker', millisOf(event) - millisOf(startedTask)]);
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const attributes = event.activityTaskCompletedEventAttributes;
      const scheduled = byId.get(Number(attributes?.scheduledEventId));
      const startedActivity = byId.get(Number(attributes?.startedEventId));
      const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
      if (scheduled && startedActivity) {
        segments.push([`${type}: queued`, millisOf(startedActivity) - millisOf(scheduled)]);
        segments.push([`${type}: run`, millisOf(event) - millisOf(startedActivity)]);
      }
      const input = scheduled?.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
      if (
        type === 'publishDecisionEvent' &&
        input &&
        Buffer.from(input).toString('utf8').includes('"decision.acted"')
      ) {
        if (actedAtMs !== undefined)
          segments.push(['decision.acted published → seen on the topic', actedAtMs - millisOf(event)]);
        break;
      }
    }
  }
  segments.push(['workflow tasks (count)', workflowTask]);
  return segments;
}

/** Reads the histories of `decisions` (workflow id → event sent at) and summarises their fast paths. */
export async function fastPathBreakdown(
  client: Client,
  decisions: Array<{ workflowId: string; sentAtMs: number; actedAtMs?: number }>,
): Promise<BreakdownSegment[]> {
  const samples = new Map<string, number[]>();
  for (const { workflowId, ...times } of decisions) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const summed = new Map<string, number>();
    for (const [segment, ms] of segmentsOfHistory(history.events ?? [], times))
      summed.set(segment, (summed.get(segment) ?? 0) + ms);
    for (const [segment, ms] of summed) samples.set(segment, [...(samples.get(segment) ?? []), ms]);
  }
  return [...samples].map(([segment, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      segment,
      p50Ms: percentile(sorted, 50),
      meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
      decisions: sorted.length,
    };
  });
}
