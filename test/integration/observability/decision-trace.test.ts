// One decision traced and measured across the engine. The engine's parts (bridge, worker, node, facilitator, verifier)
// run in this one jest process, sharing one tracer provider and an in-memory exporter; the links between them still
// go over the real transports (Kafka headers, HTTP traceparent, Temporal headers and the workflow span sink), which
// is what the parent/child assertions below check. In production each process exports to the same collector.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { inSpan, startMetricsServer, startTracing, type Metrics, type Tracing } from '../../../src/observability';
import { jobSignerFor } from '../../../src/verification';
import { testConfig } from '../../support/test-config';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, requisitionCreated } from '../decisions/support/events';

describe('a decision across the engine, in traces and metrics', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let engine: Engine;
  const requisition = buildRequisition();
  const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);

  beforeAll(async () => {
    tracing = startTracing(testConfig(), 'engine-test', { exporter });
    // Verify through the facilitator (not in the node's process), so its /verify joins the trace as well as /settle.
    engine = await startEngine({ observe: true, env: { PAYMENT_VERIFY_IN_PROCESS: 'false' } });
    await inSpan('test emits requisition', {}, () => engine.emit(requisitionCreated(requisition)));
    await engine.waitFor(`decision.verified of ${decisionId}`, () =>
      engine.decisionEvents(decisionId).find((e) => e.type === 'decision.verified'),
    );
  });
  afterAll(async () => {
    await engine?.close();
    await tracing?.shutdown();
  });

  it('forms one trace from the logistics event to the verifier job, with each hop the child of the one that caused it', async () => {
    // The workflow's span ends with the workflow, just after it published decision.verified.
    const spans = await engine.waitFor('the workflow run span', () => {
      const all = exporter.getFinishedSpans();
      return all.some(
        (s) =>
          s.name === 'RunWorkflow:procurementDecision' &&
          all.some((p) => p.spanContext().spanId === s.parentSpanId && p.attributes.temporalWorkflowId === decisionId),
      )
        ? all
        : undefined;
    });
    const tree = spanTree(spans);
    const { config } = engine;

    const root = tree.one((s) => s.name === 'test emits requisition');
    const sent = tree.childOf(
      root,
      (s) => s.name === `send ${config.kafka.inputTopic}` && s.kind === SpanKind.PRODUCER,
    );
    const consumed = tree.childOf(
      sent,
      (s) => s.name === `process ${config.kafka.inputTopic}` && s.kind === SpanKind.CONSUMER,
    );
    const start = tree.childOf(
      consumed,
      (s) => s.name === 'StartWorkflow:procurementDecision' && s.attributes.temporalWorkflowId === decisionId,
    );
    const run = tree.childOf(start, (s) => s.name === 'RunWorkflow:procurementDecision');

    // Fast path: the workflow schedules payAndInfer; the activity pays the node (402, then the paid request).
    const pay = tree.childOf(
      tree.childOf(run, (s) => s.name === 'StartActivity:payAndInfer'),
      (s) => s.name === 'RunActivity:payAndInfer',
    );
    const calls = tree.childrenOf(
      pay,
      (s) => s.kind === SpanKind.CLIENT && s.name === 'POST' && String(s.attributes['url.full']).endsWith('/infer'),
    );
    expect(calls.map((c) => c.attributes['http.response.status_code'])).toEqual([402, 200]);
    const served = tree.childOf(
      calls[1] as ReadableSpan,
      (s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/models/:modelId/infer',
    );
    expect(served.attributes['http.response.status_code']).toBe(200);
    const verify = tree.childOf(served, (s) => s.name === 'x402 verify');
    expect(
      tree.childOf(verify, (s) => s.kind === SpanKind.SERVER && s.name === 'POST /verify').attributes[
        'http.response.status_code'
      ],
    ).toBe(200);
    // Deferred settlement runs after the answer, still in the answer's trace.
    const settle = tree.childOf(
      served,
      (s) => s.name === 'x402 settle' && s.attributes['x402.settle.success'] === true,
    );
    tree.childOf(settle, (s) => s.kind === SpanKind.SERVER && s.name === 'POST /settle');

    // Verification path: the job for the receipt the decision paid for, and the verdict back through Kafka.
    const [receipt] =
      engine.decisionEvents(decisionId).find((e) => e.type === 'decision.verified')?.data.receipts ?? [];
    expect(receipt).toBeDefined();
    const request = tree.childOf(
      tree.childOf(run, (s) => s.name === 'StartActivity:requestVerification'),
      (s) => s.name === 'RunActivity:requestVerification',
    );
    const submitted = tree.childOf(
      request,
      (s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full']).endsWith('/v1/jobs'),
    );
    const accepted = tree.childOf(submitted, (s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/jobs');
    const job = tree.childOf(
      accepted,
      (s) => s.name === 'verify receipt' && s.attributes['proofpath.receipt_id'] === receipt?.receiptId,
    );
    expect(job.attributes['proofpath.verified']).toBe(true);
    const readReceipt = tree.childOf(
      job,
      (s) =>
        s.kind === SpanKind.CLIENT && String(s.attributes['url.full']).endsWith(`/v1/receipts/${receipt?.receiptId}`),
    );
    tree.childOf(readReceipt, (s) => s.kind === SpanKind.SERVER && s.name === 'GET /v1/receipts/:id');
    const verdictSent = tree.childOf(job, (s) => s.name === `send ${config.kafka.verdictsTopic}`);
    const verdictConsumed = tree.childOf(verdictSent, (s) => s.name === `process ${config.kafka.verdictsTopic}`);
    const signalled = tree.childOf(
      verdictConsumed,
      (s) => s.name === 'SignalWorkflow:verdict' && s.attributes.temporalWorkflowId === decisionId,
    );
    tree.childOf(signalled, (s) => s.name === 'HandleSignal:verdict');

    // The lifecycle events go out inside the trace too (their headers carry it to any consumer).
    const published = tree
      .childrenOf(run, (s) => s.name === 'StartActivity:publishDecisionEvent')
      .map((s) => tree.childOf(s, (c) => c.name === 'RunActivity:publishDecisionEvent'));
    expect(published.map((p) => tree.childOf(p, (s) => s.name === `send ${config.kafka.decisionsTopic}`).kind)).toEqual(
      [SpanKind.PRODUCER, SpanKind.PRODUCER],
    );

    // Everything above is one trace.
    const traceIds = new Set([root, served, settle, job, signalled].map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
  });

  it('serves the decision, verification, dead-letter and lag series at /metrics of the bridge, worker and verifier', async () => {
    const { config, metrics } = engine;
    // A job for a receipt no node has: every check fails as receipt_unavailable, and its verdict, which names no
    // decision, is dead-lettered by the bridge; a malformed logistics event is dead-lettered too.
    const body = JSON.stringify({ receiptId: `missing-${Date.now()}`, nodeUrl: engine.payments.node.url });
    const job = await fetch(`${engine.verifierUrl}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await jobSignerFor(engine.config.keys.payer)(body)) },
      body,
    });
    expect(job.status).toBe(202);
    await engine.emitRaw('{not json', 'broken');
    await engine.waitFor('two dead letters', () => engine.deadLetters().length >= 2 || undefined);

    // Lag is read from the broker at each scrape; the bridge commits right after it dead-letters, so poll until 0.
    const inputLag = (text: string) =>
      [
        ...text.matchAll(
          new RegExp(
            `^kafka_consumer_lag\\{group="${config.kafka.bridgeGroupId}",topic="${config.kafka.inputTopic}",partition="\\d+"\\} (\\d+)$`,
            'gm',
          ),
        ),
      ].map((m) => Number(m[1]));
    const bridge = await engine.waitFor(
      'the bridge caught up on its input topic',
      async () => {
        const text = await scrape(metrics.bridge as Metrics, engine);
        const lags = inputLag(text);
        return lags.length === config.kafka.partitions && lags.every((lag) => lag === 0) ? text : undefined;
      },
      30_000,
    );
    expect(bridge).toMatch(/^decisions_total\{kind="procurement",status="acted"\} 1$/m);
    expect(bridge).toMatch(/^decisions_total\{kind="procurement",status="verified"\} 1$/m);
    expect(bridge).toMatch(/^decision_fast_path_ms_count\{kind="procurement"\} 1$/m);
    expect(bridge).toMatch(/^decision_time_to_verdict_ms_count\{kind="procurement",outcome="verified"\} 1$/m);
    expect(bridge).toMatch(
      new RegExp(`^bridge_dead_letters_total\\{topic="${config.kafka.inputTopic}",reason="malformed_json"\\} 1$`, 'm'),
    );
    expect(bridge).toMatch(
      new RegExp(
        `^bridge_dead_letters_total\\{topic="${config.kafka.verdictsTopic}",reason="verdict_without_decision"\\} 1$`,
        'm',
      ),
    );

    const worker = await scrape(metrics.worker, engine);
    expect(worker).toMatch(/^worker_activities_total\{activity="payAndInfer",outcome="completed",error=""\} 1$/m);
    expect(worker).toMatch(/^worker_activity_ms_count\{activity="requestVerification",outcome="completed"\} 1$/m);

    const verifier = await (await fetch(`${engine.verifierUrl}/metrics`)).text();
    expect(verifier).toMatch(/^verifier_verdicts_total\{verified="true"\} 1$/m);
    expect(verifier).toMatch(/^verifier_verdicts_total\{verified="false"\} 1$/m);
    for (const check of ['attestation', 'proof', 'reexecution'])
      expect(verifier).toMatch(
        new RegExp(`^verification_failures_total\\{check="${check}",reason="receipt_unavailable"\\} 1$`, 'm'),
      );
    expect(verifier).toMatch(/^verifier_check_ms_count\{check="proof",status="pass"\} 1$/m);
  });
});

/** The exposition text as a scraper sees it, through the listener the worker and bridge processes run. */
async function scrape(metrics: Metrics, engine: Engine): Promise<string> {
  const server = await startMetricsServer({
    metrics,
    host: '127.0.0.1',
    port: 0,
    logger: engine.logger,
    component: 'test',
  });
  try {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return await response.text();
  } finally {
    await server.close();
  }
}

/** Parent/child lookups over exported spans, failing with the names of the children actually found. */
function spanTree(spans: ReadableSpan[]) {
  const childrenOf = (parent: ReadableSpan, match: (s: ReadableSpan) => boolean) =>
    spans
      .filter(
        (s) =>
          s.parentSpanId === parent.spanContext().spanId &&
          s.spanContext().traceId === parent.spanContext().traceId &&
          match(s),
      )
      .sort((a, b) => compareTime(a.startTime, b.startTime));
  return {
    childrenOf,
    one(match: (s: ReadableSpan) => boolean): ReadableSpan {
      const found = spans.filter(match);
      expect(found).toHaveLength(1);
      return found[0] as ReadableSpan;
    },
    childOf(parent: ReadableSpan, match: (s: ReadableSpan) => boolean): ReadableSpan {
      const found = childrenOf(parent, match);
      if (found.length === 0) {
        const children = spans.filter((s) => s.parentSpanId === parent.spanContext().spanId).map((s) => s.name);
        throw new Error(`no matching child under "${parent.name}"; its children: ${JSON.stringify(children)}`);
      }
      return found[0] as ReadableSpan;
    },
  };
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
