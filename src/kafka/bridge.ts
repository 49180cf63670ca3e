// The bridge: consumes logistics events and verification verdicts, and turns them into Temporal starts and signals.
// Offsets are committed only after Temporal accepted (at-least-once); deterministic workflow ids make a redelivery
// harmless. Invalid input goes to the dead-letter topic with the reason; the bridge never stops on bad input.
import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { EngineConfig } from '../config';
import { decisionWorkflowId, type DecisionKind } from '../contracts/decision';
import { LogisticsEventSchema, type LogisticsEvent } from '../contracts/events';
import { VerdictSchema } from '../contracts/verdict';
import { checkVerdictSignature } from '../contracts/verdict-signature';
import { verdictSignersOf, type DecisionStarter, type StartResult } from '../decisions/starter';
import type { Logger } from '../log';
import { createDecisionMetricsRecorder, KAFKA_METRICS, processTraced, type Metrics } from '../observability';
import { recoverAddressFromDigest } from '../signatures';
import { collectConsumerLag } from './consumer-lag';
import { buildDeadLetter, sendToDeadLetter, type DeadLetterIssue } from './dead-letter';
import { startDecisionMetricsConsumer } from './decision-metrics-consumer';
import { createIdempotentProducer } from './producer';

export type Bridge = { stop(): Promise<void> };

/**
 * gRPC status codes with which Temporal refuses a request for what the message says (INVALID_ARGUMENT: an id too
 * long, a payload too large...). Retrying cannot help, so the message goes to the dead-letter topic; every other
 * failure (Temporal down, overloaded, misconfigured) is retried without committing, so nothing is skipped.
 */
const PERMANENT_REJECTIONS = new Set([3 /* INVALID_ARGUMENT */, 11 /* OUT_OF_RANGE */]);

export function isPermanentTemporalRejection(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && PERMANENT_REJECTIONS.has(code)) return true;
  }
  return false;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; issues: DeadLetterIssue[] };

export function parseMessage<S extends z.ZodType>(schema: S, bytes: Buffer | null): Parsed<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse((bytes ?? Buffer.alloc(0)).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed_json', issues: [{ path: '', message: (error as Error).message }] };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    reason: 'schema_invalid',
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

export async function startBridge(options: {
  config: EngineConfig;
  logger: Logger;
  kafka: Kafka;
  starter: DecisionStarter;
  groupId?: string;
  topics?: Partial<EngineConfig['kafka']>;
  /** Called when a consumer crashed and kafkajs will not restart it; the process should exit so its supervisor restarts it. */
  onFatal?: (error: Error) => void;
  /** Records dead letters, consumer lag (on scrape) and, from a consumer of the decisions topic, the decision metrics. */
  metrics?: Metrics;
}): Promise<Bridge> {
  const { logger, kafka, starter } = options;
  const topics = { ...options.config.kafka, ...options.topics };
  const groupId = options.groupId ?? topics.bridgeGroupId;
  // The verifier's addresses: a verdict signed by anyone else never reaches a decision (which checks it again).
  const verdictSigners = verdictSignersOf(options.config);
  const producer = createIdempotentProducer(kafka);
  const events = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const verdicts = kafka.consumer({ groupId: `${groupId}-verdicts`, allowAutoTopicCreation: false });
  await Promise.all([producer.connect(), events.connect(), verdicts.connect()]);
  await events.subscribe({ topic: topics.inputTopic, fromBeginning: true });
  await verdicts.subscribe({ topic: topics.verdictsTopic, fromBeginning: true });

  async function deadLetter(
    payload: EachMessagePayload,
    reason: string,
    issues: DeadLetterIssue[],
    decisionId?: string,
  ): Promise<void> {
    const letter = buildDeadLetter(payload.message, payload, reason, issues, new Date(), decisionId);
    await sendToDeadLetter(producer, topics.deadLetterTopic, letter, payload.message.key?.toString('utf8') ?? null);
    options.metrics?.count(KAFKA_METRICS.deadLetters, { topic: payload.topic, reason });
    logger.warn(
      {
        reason,
        issues,
        decisionId,
        topic: payload.topic,
        partition: payload.partition,
        offset: payload.message.offset,
      },
      'event sent to the dead-letter topic',
    );
  }

  /**
   * Runs a Temporal call for a message. A permanent rejection dead-letters the message (undefined is returned); any
   * other failure is thrown, so kafkajs retries it and the offset stays uncommitted.
   */
  async function unlessRejected<T>(payload: EachMessagePayload, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (!isPermanentTemporalRejection(error)) throw error;
      await deadLetter(payload, 'temporal_rejected', [{ path: '', message: (error as Error).message }]);
      return undefined;
    }
  }

  async function handleEvent(payload: EachMessagePayload): Promise<void> {
    const parsed = parseMessage(LogisticsEventSchema, payload.message.value);
    if (!parsed.ok) return deadLetter(payload, parsed.reason, parsed.issues);
    const outcome = await unlessRejected(payload, () => route(parsed.value));
    if (!outcome) return;
    if (outcome.deadLetter)
      return deadLetter(payload, outcome.deadLetter, [{ path: 'data', message: outcome.message }], outcome.decisionId);
    logger.info(
      { decisionId: outcome.decisionId, eventId: parsed.value.id, type: parsed.value.type, effect: outcome.message },
      'event accepted',
    );
  }

  async function route(event: LogisticsEvent): Promise<{ decisionId: string; message: string; deadLetter?: string }> {
    switch (event.type) {
      case 'requisition.created':
        return startOutcome(await starter.startProcurement(event.data));
      case 'shipment.ready':
        return startOutcome(await starter.startRouting(event.data));
      case 'requisition.cancelled':
      case 'shipment.cancelled': {
        const kind: DecisionKind = event.type === 'requisition.cancelled' ? 'procurement' : 'routing';
        const key = 'requisitionId' in event.data ? event.data.requisitionId : event.data.shipmentId;
        const decisionId = decisionWorkflowId(kind, key);
        const delivered = await starter.cancel(kind, key, {
          requestedBy: event.data.requestedBy,
          reason: event.data.reason,
        });
        return delivered
          ? { decisionId, message: 'cancel signalled' }
          : { decisionId, message: `no ${kind} decision for ${key}`, deadLetter: 'unknown_decision' };
      }
    }
  }

  /** A redelivery is a silent no-op; the same business key with other content is a conflict, dead-lettered. */
  function startOutcome(r: StartResult): { decisionId: string; message: string; deadLetter?: string } {
    if (r.started) return { decisionId: r.decisionId, message: 'decision started' };
    if (!r.conflict) return { decisionId: r.decisionId, message: 'duplicate: decision already exists' };
    return {
      decisionId: r.decisionId,
      message: `decision ${r.decisionId} already exists for this business key with other content (content sha256 ${r.conflict.existingContentHash}); this event started nothing`,
      deadLetter: 'business_key_conflict',
    };
  }

  async function handleVerdict(payload: EachMessagePayload): Promise<void> {
    const parsed = parseMessage(VerdictSchema, payload.message.value);
    if (!parsed.ok) return deadLetter(payload, parsed.reason, parsed.issues);
    if (!parsed.value.decisionId)
      return deadLetter(payload, 'verdict_without_decision', [
        { path: 'decisionId', message: 'a verdict for a decision must name it' },
      ]);
    const { decisionId } = parsed.value;
    // libsecp256k1 rather than the workflow's noble default: the same check, five times less CPU per verdict.
    const signed = checkVerdictSignature(parsed.value, verdictSigners, undefined, recoverAddressFromDigest);
    if (!signed.ok) return deadLetter(payload, signed.reason, [{ path: 'signature', message: signed.message }]);
    const delivered = await unlessRejected(payload, () => starter.deliverVerdict(decisionId, parsed.value));
    if (delivered === undefined) return;
    logger.info(
      {
        decisionId: parsed.value.decisionId,
        receiptId: parsed.value.receiptId,
        verified: parsed.value.verified,
        signer: signed.signer,
        delivered,
      },
      'verdict delivered',
    );
  }

  for (const consumer of [events, verdicts]) {
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts a consumer after retriable errors; after any other it stays stopped while the process lives on.
      if (payload.restart) return;
      logger.fatal({ err: payload.error, groupId: payload.groupId }, 'bridge consumer crashed and will not restart');
      options.onFatal?.(payload.error);
    });
  }
  await runCommittingAfterEach(events, handleEvent);
  await runCommittingAfterEach(verdicts, handleVerdict);
  const observing = options.metrics ? await observe(options.metrics) : undefined;
  logger.info({ groupId, input: topics.inputTopic, verdicts: topics.verdictsTopic }, 'bridge consuming');

  /** Decision metrics from the decisions topic (own group), and the lag of every group of the bridge on scrape. */
  async function observe(metrics: Metrics): Promise<{ consumer: Consumer; admin: Admin }> {
    const metricsGroup = `${groupId}-metrics`;
    const recorder = createDecisionMetricsRecorder(metrics, {
      startedAt: (decisionId) => starter.startedAt(decisionId),
      notBefore: new Date(),
    });
    const consumer = await startDecisionMetricsConsumer({
      kafka,
      topic: topics.decisionsTopic,
      groupId: metricsGroup,
      recorder,
      logger,
    });
    const admin = kafka.admin();
    await admin.connect();
    collectConsumerLag(metrics, admin, [
      { groupId, topic: topics.inputTopic },
      { groupId: `${groupId}-verdicts`, topic: topics.verdictsTopic },
      { groupId: metricsGroup, topic: topics.decisionsTopic },
    ]);
    return { consumer, admin };
  }

  return {
    async stop() {
      await Promise.all([
        events.disconnect(),
        verdicts.disconnect(),
        observing?.consumer.disconnect(),
        observing?.admin.disconnect(),
      ]);
      await producer.disconnect();
    },
  };
}

/** Processes one message at a time and commits its offset only after the handler finished (at-least-once). */
async function runCommittingAfterEach(
  consumer: Consumer,
  handler: (payload: EachMessagePayload) => Promise<void>,
): Promise<void> {
  await consumer.run({
    autoCommit: false,
    eachMessage: async (payload) => {
      // The handling continues the producer's trace (traceparent header) when tracing is on.
      await processTraced(payload, () => handler(payload));
      await consumer.commitOffsets([
        {
          topic: payload.topic,
          partition: payload.partition,
          offset: (BigInt(payload.message.offset) + 1n).toString(),
        },
      ]);
    },
  });
}
