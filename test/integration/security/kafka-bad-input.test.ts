// Bad-input campaign over Kafka: hostile messages to the bridge, a real OS process. Each lands on the dead-letter topic
// with a named reason (or, for a duplicate business key with other content, starts nothing new), the bridge stays up,
// and a valid event sent after them starts its decision. Counts per surface are printed and saved.
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import type { Consumer, Producer } from 'kafkajs';
import { configToEnv, type EngineConfig } from '../../../src/config';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { DeadLetterSchema, type DeadLetter } from '../../../src/contracts/events';
import type { Verdict } from '../../../src/contracts/verdict';
import { startEngineProcess, type EngineProcess } from '../../../src/devstack/engine-process';
import { createKafka } from '../../../src/kafka/client';
import { ensureTopics } from '../../../src/kafka/topics';
import { verdictSignerFor } from '../../../src/verification';
import { generatePrivateKey } from 'viem/accounts';
import { testConfig, testLogger } from '../../support/test-config';
import { uniqueName } from '../../support/unique';
import { buildRequisition, requisitionCancelled, requisitionCreated } from '../decisions/support/events';
import { createTally } from './support/tally';

const tally = createTally();

describe('bad input over Kafka to the bridge process', () => {
  let config: EngineConfig;
  let bridge: EngineProcess;
  let bridgeLog = '';
  let producer: Producer;
  let dlq: Consumer;
  let connection: Connection;
  let client: Client;
  const letters: DeadLetter[] = [];
  const started: string[] = [];

  beforeAll(async () => {
    config = testConfig({
      KAFKA_TOPIC_IN: uniqueName('security-in'),
      KAFKA_TOPIC_DLQ: uniqueName('security-dlq'),
      KAFKA_TOPIC_VERDICTS: uniqueName('security-verdicts'),
      KAFKA_TOPIC_DECISIONS: uniqueName('security-decisions'),
      KAFKA_BRIDGE_GROUP: uniqueName('security-bridge'),
      // No worker polls this queue: the decisions the bridge starts wait, and are terminated at the end.
      PROOFPATH_TASK_QUEUE: uniqueName('security-queue'),
    });
    const logger = testLogger('security-kafka', config);
    const { kafka: k } = config;
    await ensureTopics(config, logger, [k.inputTopic, k.deadLetterTopic, k.verdictsTopic, k.decisionsTopic]);
    const kafka = createKafka(config, logger, 'security-test');
    producer = kafka.producer();
    dlq = kafka.consumer({ groupId: uniqueName('security-dlq-reader') });
    await Promise.all([producer.connect(), dlq.connect()]);
    await dlq.subscribe({ topic: k.deadLetterTopic, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => void letters.push(DeadLetterSchema.parse(JSON.parse(String(message.value)))),
    });
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    const env = {
      ...process.env,
      ...configToEnv(config),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      BRIDGE_METRICS_PORT: '0',
      PROOFPATH_TRACING: 'off',
    };
    bridge = await startEngineProcess('bridge', env, 'bridge consuming', (c) => (bridgeLog += c));
  }, 120_000);

  afterAll(async () => {
    console.log(`bad-input campaign (Kafka)\n${tally.table()}`);
    if (process.env.BAD_INPUT_COUNTS_FILE) tally.save(process.env.BAD_INPUT_COUNTS_FILE);
    bridge?.child.kill('SIGTERM');
    await Promise.all(
      started.map((id) =>
        client.workflow
          .getHandle(id)
          .terminate('bad-input campaign over')
          .catch(() => undefined),
      ),
    );
    await Promise.all([producer?.disconnect(), dlq?.disconnect(), connection?.close()]);
  });

  const alive = () => bridge.child.exitCode === null && bridge.child.signalCode === null;

  /** Sends each value and waits until each has its dead letter (matched by offset); records the reasons. */
  async function expectDeadLettered(
    surface: string,
    topic: string,
    inputs: Array<{ name: string; value: Buffer | string | null; key?: string; reason?: string }>,
    expectedReason?: string,
  ): Promise<DeadLetter[]> {
    // One request per message: a batch of large ones would exceed the broker's request limit as a whole.
    const positions: Array<{ partition: number; offset: string }> = [];
    for (const input of inputs) {
      const [sent] = await producer.send({ topic, messages: [{ key: input.key ?? 'hostile', value: input.value }] });
      positions.push({ partition: sent!.partition, offset: sent!.baseOffset! });
    }
    const deadline = Date.now() + 60_000;
    const letterOf = (i: number) =>
      letters.find(
        (l) =>
          l.originalTopic === topic &&
          l.originalPartition === positions[i]!.partition &&
          l.originalOffset === positions[i]!.offset,
      );
    while (inputs.some((_, i) => !letterOf(i)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const [i, input] of inputs.entries()) {
      const letter = letterOf(i);
      tally.record(surface, input.name, {
        refused: letter !== undefined,
        reason: letter?.reason ?? 'no dead letter within 60 s',
      });
      expect({ input: input.name, reason: letter?.reason }).toEqual({
        input: input.name,
        reason: input.reason ?? expectedReason ?? letter?.reason ?? 'a dead letter',
      });
      expect(letter?.issues.length).toBeGreaterThan(0);
      // The original bytes travel with the letter, so nothing is lost for whoever repairs it.
      if (letter && input.value !== null)
        expect(Buffer.from(letter.originalValueBase64, 'base64').equals(Buffer.from(input.value))).toBe(true);
    }
    expect(alive()).toBe(true);
    return inputs.map((_, i) => letterOf(i)!);
  }

  /** The verdict signals a decision received (from its history): what the bridge let through. */
  async function verdictSignals(decisionId: string): Promise<Verdict[]> {
    const history = await client.workflow.getHandle(decisionId).fetchHistory();
    const converter = client.options.loadedDataConverter.payloadConverter;
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === 'verdict')
      .map((a) => converter.fromPayload<Verdict>(a!.input!.payloads![0]!));
  }

  async function expectDecisionStarted(requisitionId: string) {
    const id = decisionWorkflowId('procurement', requisitionId);
    started.push(id);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const description = await client.workflow
        .getHandle(id)
        .describe()
        .catch(() => undefined);
      if (description) return description;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`decision ${id} was not started; bridge output:\n${bridge.output().slice(-2000)}`);
  }

  it('dead-letters malformed, mistyped, incomplete, unknown, huge, deep and invalid-UTF-8 events; then starts a valid one', async () => {
    const valid = requisitionCreated(buildRequisition());
    const { data: _data, ...envelopeOnly } = valid;
    const inputs = [
      { name: 'not JSON', value: 'hello, bridge' },
      { name: 'invalid UTF-8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xfd, 0x22, 0x7d]) },
      { name: 'empty value', value: '' },
      { name: 'tombstone (null value)', value: null },
      { name: 'JSON array', value: '[1,2,3]' },
      { name: 'JSON string', value: '"requisition.created"' },
      { name: 'missing data', value: JSON.stringify(envelopeOnly) },
      { name: 'missing id', value: JSON.stringify({ ...valid, id: undefined }) },
      {
        name: 'wrong types',
        value: JSON.stringify({ ...valid, data: { ...valid.data, quantity: 'many', budget: 'lots' } }),
      },
      { name: 'unknown type', value: JSON.stringify({ ...valid, type: 'requisition.exploded' }) },
      { name: 'negative quantity', value: JSON.stringify({ ...valid, data: { ...valid.data, quantity: -5 } }) },
      { name: 'no candidates', value: JSON.stringify({ ...valid, data: { ...valid.data, candidates: [] } }) },
      {
        name: '900 kB requisition id',
        value: JSON.stringify({ ...valid, data: { ...valid.data, requisitionId: 'R'.repeat(900_000) } }),
      },
      {
        name: '900 kB candidate list',
        value: JSON.stringify({
          ...valid,
          data: { ...valid.data, candidates: Array.from({ length: 4_000 }, () => valid.data.candidates[0]) },
        }),
      },
      { name: '100,000-deep nesting', value: `{"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}` },
      {
        name: '__proto__ smuggling',
        value: `{"__proto__":{"type":"requisition.created"},${JSON.stringify(valid).slice(1).replace('"type":"requisition.created",', '')}`,
      },
      { name: 'cancel of an unknown decision', value: JSON.stringify(requisitionCancelled(uniqueName('REQ-NONE'))) },
    ];
    await expectDeadLettered('bridge events', config.kafka.inputTopic, inputs);
    // Past the broker's message.max.bytes (1 MiB by default) the broker itself refuses the message: it never reaches the bridge.
    const tooBig = await producer
      .send({
        topic: config.kafka.inputTopic,
        messages: [
          { value: JSON.stringify({ ...valid, data: { ...valid.data, requisitionId: 'R'.repeat(1_100_000) } }) },
        ],
      })
      .then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    tally.record('bridge events', '1.1 MB message', {
      refused: tooBig !== 'accepted',
      reason: 'broker: message larger than message.max.bytes',
    });
    expect(tooBig).toMatch(/larger than the max message size/);
    const reasons = new Set(letters.map((l) => l.reason));
    expect(
      [...reasons].every((r) =>
        ['malformed_json', 'schema_invalid', 'unknown_decision', 'temporal_rejected'].includes(r),
      ),
    ).toBe(true);

    await producer.send({
      topic: config.kafka.inputTopic,
      messages: [{ key: valid.data.requisitionId, value: JSON.stringify(valid) }],
    });
    const description = await expectDecisionStarted(valid.data.requisitionId);
    expect(description.status.name).toBe('RUNNING');
  }, 180_000);

  it('dead-letters any JSON value and any envelope with arbitrary data (fast-check)', async () => {
    const values = fc
      .sample(fc.jsonValue({ maxDepth: 5 }), { numRuns: 60, seed: 12 })
      .map((v, i) => ({ name: `json ${i}: ${JSON.stringify(v).slice(0, 30)}`, value: JSON.stringify(v) }));
    const envelopes = fc
      .sample(
        fc.record({
          type: fc.constantFrom('requisition.created', 'shipment.ready', 'requisition.cancelled', 'shipment.cancelled'),
          data: fc.jsonValue({ maxDepth: 3 }),
        }),
        { numRuns: 60, seed: 13 },
      )
      .map((e, i) => ({
        name: `envelope ${i}: ${e.type}`,
        value: JSON.stringify({ specversion: '1.0', id: uniqueName('evt'), source: 'urn:fuzz', ...e }),
      }));
    await expectDeadLettered('bridge events (property)', config.kafka.inputTopic, [...values, ...envelopes]);
  }, 180_000);

  it('dead-letters hostile verdicts', async () => {
    const inputs = [
      { name: 'not JSON', value: '{"verified": tru' },
      {
        name: 'verdict without decision',
        value: JSON.stringify({ receiptId: 'r-1', verified: true, verifiedAt: new Date().toISOString(), checks: [] }),
      },
      { name: 'wrong types', value: JSON.stringify({ receiptId: 7, decisionId: ['x'], verified: 'yes', checks: {} }) },
    ];
    await expectDeadLettered('bridge verdicts', config.kafka.verdictsTopic, inputs);
  }, 120_000);

  it('dead-letters forged, unsigned and re-addressed verdicts; delivers the verifier’s own', async () => {
    const requisition = buildRequisition();
    await producer.send({
      topic: config.kafka.inputTopic,
      messages: [{ key: requisition.requisitionId, value: JSON.stringify(requisitionCreated(requisition)) }],
    });
    const decisionId = decisionWorkflowId('procurement', requisition.requisitionId);
    await expectDecisionStarted(requisition.requisitionId);
    const pass = { status: 'pass' as const };
    const verdict = (verified: boolean): Verdict => ({
      receiptId: `0x${'ab'.repeat(32)}`,
      decisionId,
      checks: {
        attestation: pass,
        proof: pass,
        reexecution: verified ? pass : { status: 'fail', reason: 'reexecution_output_mismatch' },
      },
      verified,
      verifiedAt: new Date().toISOString(),
    });
    // The bridge counts the verifier key's address (development default of VERDICT_SIGNERS).
    const signAsVerifier = verdictSignerFor(config.keys.verifier);
    const signAsForger = verdictSignerFor(generatePrivateKey());
    const genuineFail = await signAsVerifier(verdict(false));
    const forgedBySomeone = await signAsForger(verdict(true));
    const inputs = [
      { name: 'unsigned passing verdict', value: verdict(true), reason: 'verdict_unsigned' },
      { name: 'passing verdict signed by another key', value: forgedBySomeone, reason: 'verdict_signer_unknown' },
      {
        name: 'another key’s signature claiming the verifier',
        value: { ...forgedBySomeone, signer: genuineFail.signer },
        reason: 'verdict_signature_invalid',
      },
      {
        name: 'the verifier’s failing verdict turned into a pass',
        value: { ...genuineFail, verified: true, checks: verdict(true).checks },
        reason: 'verdict_signature_invalid',
      },
      {
        name: 'the verifier’s verdict re-addressed to another decision',
        value: { ...genuineFail, decisionId: decisionWorkflowId('procurement', uniqueName('REQ-OTHER')) },
        reason: 'verdict_signature_invalid',
      },
    ].map((i) => ({ ...i, key: decisionId, value: JSON.stringify(i.value) }));
    const forgedLetters = await expectDeadLettered('bridge verdicts', config.kafka.verdictsTopic, inputs);
    expect(forgedLetters.every((l) => l.issues[0]?.path === 'signature')).toBe(true);
    expect(await verdictSignals(decisionId)).toEqual([]);

    // The verifier's own verdict still goes through, unchanged.
    await producer.send({
      topic: config.kafka.verdictsTopic,
      messages: [{ key: decisionId, value: JSON.stringify(genuineFail) }],
    });
    const deadline = Date.now() + 30_000;
    while ((await verdictSignals(decisionId)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await verdictSignals(decisionId)).toEqual([genuineFail]);
    expect(alive()).toBe(true);
  }, 120_000);

  it('a second event for the same requisition with other content is dead-lettered as a conflict and changes nothing; a redelivery is a silent no-op', async () => {
    const requisition = buildRequisition();
    const first = requisitionCreated(requisition);
    await producer.send({
      topic: config.kafka.inputTopic,
      messages: [{ key: requisition.requisitionId, value: JSON.stringify(first) }],
    });
    const before = await expectDecisionStarted(requisition.requisitionId);
    const conflicting = [
      { ...first, data: { ...requisition, quantity: 9_999, budget: { amount: 9_999_999, currency: 'USDC' } } },
      { ...first, id: uniqueName('evt'), data: { ...requisition, candidates: requisition.candidates.slice(0, 1) } },
    ];
    const conflictLetters = await expectDeadLettered(
      'bridge events',
      config.kafka.inputTopic,
      conflicting.map((e) => ({
        name: `same requisition, other content (${e.id === first.id ? 'same' : 'new'} event id)`,
        key: requisition.requisitionId,
        value: JSON.stringify(e),
      })),
      'business_key_conflict',
    );
    // The letter names the decision the first event started, for whoever sorts the conflict out.
    expect(conflictLetters.map((l) => l.decisionId)).toEqual(conflicting.map(() => before.workflowId));
    // A byte-identical redelivery is not a conflict: it starts nothing and leaves no dead letter.
    const [redelivered] = await producer.send({
      topic: config.kafka.inputTopic,
      messages: [{ key: requisition.requisitionId, value: JSON.stringify(first) }],
    });
    // The bridge handles a partition in order: once a later valid event is accepted, the earlier ones were handled.
    const marker = buildRequisition();
    await producer.send({
      topic: config.kafka.inputTopic,
      messages: [{ key: requisition.requisitionId, value: JSON.stringify(requisitionCreated(marker)) }],
    });
    await expectDecisionStarted(marker.requisitionId);
    expect(
      letters.some(
        (l) =>
          l.originalTopic === config.kafka.inputTopic &&
          l.originalPartition === redelivered!.partition &&
          l.originalOffset === redelivered!.baseOffset,
      ),
    ).toBe(false);
    tally.record('bridge events', 'byte-identical redelivery', { refused: true, reason: 'duplicate_ignored' });
    const handle = client.workflow.getHandle(decisionWorkflowId('procurement', requisition.requisitionId));
    const after = await handle.describe();
    expect(after.runId).toBe(before.runId);
    const history = await handle.fetchHistory();
    const starts = history.events?.filter((e) => e.workflowExecutionStartedEventAttributes) ?? [];
    expect(starts).toHaveLength(1);
    const input = await client.options.loadedDataConverter.payloadConverter.fromPayload<{
      requisition: { quantity: number };
    }>(starts[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
    expect(input.requisition.quantity).toBe(requisition.quantity);
    expect(alive()).toBe(true);
    expect(bridgeLog).not.toContain('"level":60');
    // The bridge was given every key of the configuration (configToEnv); none of them is in its log.
    for (const key of Object.values(configToEnv(config)).filter((v) => /^0x[0-9a-fA-F]{64}$/.test(v)))
      expect(bridgeLog.toLowerCase()).not.toContain(key.slice(2).toLowerCase());
  }, 120_000);
});
