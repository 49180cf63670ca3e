// Trace context across process boundaries: W3C traceparent over HTTP (fetch → node:http/express) and in Kafka message
// headers, and work that runs later kept in its request's trace. Off by default: then nothing is added anywhere.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import type { EachMessagePayload, ProducerRecord } from 'kafkajs';
import {
  inSpan,
  keepTraceContext,
  processTraced,
  sendTraced,
  startTracing,
  traceHeaders,
  tracedFetch,
  traceIncoming,
  traceRequests,
  type Tracing,
} from '../../../src/observability';
import { testConfig } from '../../support/test-config';

/** A local HTTP server on a free port. */
async function echoServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const echoTraceparent: http.RequestListener = (req, res) =>
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ traceparent: req.headers.traceparent ?? null }));

function fakeProducer() {
  const sent: ProducerRecord[] = [];
  return { sent, send: async (record: ProducerRecord) => (sent.push(record), []) };
}

function consumed(record: ProducerRecord): EachMessagePayload {
  const message = record.messages[0];
  // kafkajs hands header values to consumers as Buffers.
  const headers = Object.fromEntries(
    Object.entries(message?.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]),
  );
  return {
    topic: record.topic,
    partition: 0,
    message: { key: Buffer.from('k'), value: Buffer.from('{}'), offset: '5', timestamp: '0', attributes: 0, headers },
    heartbeat: async () => {},
    pause: () => () => {},
  } as EachMessagePayload;
}

describe('with tracing off (the default)', () => {
  it('starts no provider, and adds no trace headers to HTTP requests or Kafka messages', async () => {
    expect(startTracing(testConfig({ PROOFPATH_TRACING: 'off' }), 'test')).toBeUndefined();
    const server = await echoServer((req, res) =>
      traceIncoming(
        req,
        res,
        () => '/echo',
        () => echoTraceparent(req, res),
      ),
    );
    try {
      const answer = await (await inSpan('not recorded', {}, () => tracedFetch()(`${server.url}/echo`))).json();
      expect(answer).toEqual({ traceparent: null });
    } finally {
      await server.close();
    }
    expect(traceHeaders()).toEqual({});
    const producer = fakeProducer();
    const record = { topic: 't', messages: [{ key: 'k', value: 'v', headers: { ce_id: '1' } }] };
    await sendTraced(producer, record);
    expect(producer.sent[0]).toBe(record);
  });
});

describe('with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  beforeAll(() => {
    tracing = startTracing(testConfig(), 'test', { exporter });
  });
  afterAll(async () => {
    await tracing?.shutdown();
  });
  beforeEach(() => exporter.reset());

  const named = (name: string): ReadableSpan => {
    const found = exporter.getFinishedSpans().filter((s) => s.name === name);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0] as ReadableSpan;
  };
  const isChild = (child: ReadableSpan, parent: ReadableSpan) => {
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.parentSpanId).toBe(parent.spanContext().spanId);
  };

  it('continues a fetch client span as the server span of a node:http server, named by the route', async () => {
    const server = await echoServer((req, res) =>
      traceIncoming(
        req,
        res,
        () => '/echo',
        () => echoTraceparent(req, res),
      ),
    );
    let received: { traceparent: string };
    try {
      received = await inSpan(
        'caller',
        {},
        async () =>
          (await (await tracedFetch(fetch, 'echo')(`${server.url}/echo?x=1`, { method: 'GET' })).json()) as {
            traceparent: string;
          },
      );
    } finally {
      await server.close();
    }
    const caller = named('caller');
    const client = named('GET');
    const served = named('GET /echo');
    isChild(client, caller);
    isChild(served, client);
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(client.attributes).toMatchObject({
      'peer.service': 'echo',
      'url.full': `${server.url}/echo`,
      'http.response.status_code': 200,
    });
    expect(served.kind).toBe(SpanKind.SERVER);
    expect(served.attributes).toMatchObject({ 'http.route': '/echo', 'http.response.status_code': 200 });
    expect(received.traceparent).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
  });

  it('names express server spans by the matched route and marks 5xx answers as errors', async () => {
    const app = express();
    app.use(traceRequests());
    app.get('/items/:id', (_req, res) => void res.status(503).json({}));
    const server = await echoServer(app);
    try {
      await inSpan('caller', {}, () => tracedFetch()(`${server.url}/items/42`));
    } finally {
      await server.close();
    }
    const served = named('GET /items/:id');
    isChild(served, named('GET'));
    expect(served.status.code).toBe(2 /* ERROR */);
  });

  it('carries the trace in Kafka headers from a PRODUCER span to the CONSUMER span that handles the message', async () => {
    const producer = fakeProducer();
    await inSpan('publisher', {}, () =>
      sendTraced(producer, { topic: 'decisions', messages: [{ key: 'd-1', value: '{}', headers: { ce_id: 'e-1' } }] }),
    );
    const record = producer.sent[0] as ProducerRecord;
    expect(record.messages[0]?.headers).toMatchObject({
      ce_id: 'e-1',
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
    });
    let handledIn: string | undefined;
    await processTraced(consumed(record), async () => {
      handledIn = traceHeaders().traceparent;
    });
    const send = named('send decisions');
    const process = named('process decisions');
    isChild(send, named('publisher'));
    isChild(process, send);
    expect([send.kind, process.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER]);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'decisions',
      'messaging.kafka.offset': 5,
    });
    expect(handledIn).toContain(process.spanContext().spanId);
  });

  it('starts a new trace for a message produced without one', async () => {
    await processTraced(consumed({ topic: 'logistics', messages: [{ value: '{}' }] }), async () => undefined);
    expect(named('process logistics').parentSpanId).toBeUndefined();
  });

  it('keeps work that runs later (after the answer) in the trace that queued it', async () => {
    let later: () => Promise<void> = async () => {};
    await inSpan('request', {}, async () => {
      later = keepTraceContext(() => inSpan('settle afterwards', {}, async () => undefined));
    });
    await new Promise<void>((resolve) => setTimeout(() => void later().then(resolve), 5));
    isChild(named('settle afterwards'), named('request'));
  });

  it('marks a span failed when its work throws, and rethrows', async () => {
    await expect(inSpan('failing', {}, async () => Promise.reject(new Error('facilitator down')))).rejects.toThrow(
      'facilitator down',
    );
    const failing = named('failing');
    expect(failing.status).toMatchObject({ code: 2, message: 'facilitator down' });
    expect(failing.events.map((e) => e.name)).toEqual(['exception']);
  });
});
