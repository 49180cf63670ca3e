// The whole engine in-process on the real stack, isolated per suite: fresh contracts and keys (payments stack), a
// paid inference node (optionally faulty), the verifier publishing to Kafka, the ERP/TMS service, the bridge and a
// worker on unique topics and a unique task queue. Tests drive it through Kafka, as production does.
// When the test process traces (startTracing before startEngine), the Temporal client and worker carry Temporal's
// OpenTelemetry interceptors and the worker runs a workflow bundle built with the tracing interceptor module.
import type { SettlementMode } from '../../../../src/contracts/receipt';
import { createPaymentEscrow } from '../../../../src/decisions/payment-escrow';
import { createPaymentChannel } from '../../../../src/decisions/payment-channel';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { createActivities } from '../../../../activities';
import { startBackOffice } from '../../../../src/back-office';
import { startEngineProcess } from '../../../../src/devstack/engine-process';
import { configToEnv, type EngineConfig } from '../../../../src/config';
import type { DecisionEvent, DeadLetter } from '../../../../src/contracts/events';
import { createHttpVerificationRequester } from '../../../../src/decisions/verification-ports';
import { createDecisionStarter, decisionSettings } from '../../../../src/decisions/starter';
import { createErpClient, type Erp } from '../../../../src/erp';
import { startBridge, type Bridge } from '../../../../src/kafka/bridge';
import { createKafka } from '../../../../src/kafka/client';
import { createIdempotentProducer } from '../../../../src/kafka/producer';
import { ensureTopics } from '../../../../src/kafka/topics';
import { createKafkaVerdictPublisher } from '../../../../src/kafka/verdict-publisher';
import type { Logger } from '../../../../src/log';
import { createTmsClient, type Tms } from '../../../../src/tms';
import { jobSignerFor, startVerifier } from '../../../../src/verification';
import type { NodeFault } from '../../../../src/verification';
import {
  activeTracing,
  combineMetricsOptions,
  createMetrics,
  DECISION_METRICS_OPTIONS,
  KAFKA_METRICS_OPTIONS,
  ACTIVITY_METRICS_OPTIONS,
  sendTraced,
  temporalClientInterceptors,
  type Metrics,
} from '../../../../src/observability';
import {
  bundleDecisionWorkflows,
  createActivityDependencies,
  decisionWorkerObservability,
} from '../../../../src/worker';
import { testLogger } from '../../../support/test-config';
import { uniqueName } from '../../../support/unique';
import { realModels, startPaymentsStack, type PaymentsStack } from '../../payments/support/payments-stack';
import { createChainClients, fundedDevelopmentKey, CONTRACT_ARTIFACTS } from '../../../../src/chain';
import {
  inferenceRuntimeFromModels,
  startInferenceNode,
  type InferenceNodeHandle,
} from '../../../../src/inference-node';
import { createHttpFacilitatorClient } from '../../../../src/payments';
import { privateKeyToAccount } from 'viem/accounts';

export type Engine = {
  config: EngineConfig;
  logger: Logger;
  client: Client;
  payments: PaymentsStack;
  alternate?: InferenceNodeHandle;
  /** The registries the bridge, worker and verifier record into (the bridge's only with `observe`). */
  metrics: { bridge?: Metrics; worker: Metrics; verifier: Metrics };
  verifierUrl: string;
  erp: Erp;
  tms: Tms;
  emit(event: unknown, key?: string | null): Promise<void>;
  emitRaw(value: string, key?: string | null): Promise<void>;
  decisionEvents(decisionId: string): DecisionEvent[];
  deadLetters(): DeadLetter[];
  waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Runs the worker as its own process (`proofpath worker`), so a test can kill it with SIGKILL. */
  startWorkerProcess(): Promise<ChildProcess>;
  close(): Promise<void>;
};

export type EngineOptions = {
  faults?: NodeFault[];
  env?: NodeJS.ProcessEnv;
  /** Also run an honest second node (own key, registered on chain and in the allow-list) for re-decisions. */
  alternateNode?: boolean;
  /** Replaces some of the worker's activities (e.g. an ERP that refuses a step); the rest stay real. */
  activityOverrides?: (real: ReturnType<typeof createActivities>) => Partial<ReturnType<typeof createActivities>>;
  /** Give the bridge a metrics registry: it then also consumes the decisions topic (decision metrics) and reads lag. */
  observe?: boolean;
  /** The node's settlement mode (default deferred). */
  settlementMode?: SettlementMode;
};

export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const topics = {
    KAFKA_TOPIC_IN: uniqueName('in'),
    KAFKA_TOPIC_DECISIONS: uniqueName('decisions'),
    KAFKA_TOPIC_DLQ: uniqueName('dlq'),
    KAFKA_TOPIC_VERDICTS: uniqueName('verdicts'),
  };
  const payments = await startPaymentsStack({
    settlementMode: options.settlementMode ?? 'deferred',
    env: {
      ...topics,
      KAFKA_BRIDGE_GROUP: uniqueName('bridge'),
      PROOFPATH_TASK_QUEUE: uniqueName('decisions'),
      DECISION_APPROVAL_THRESHOLD: '1000000',
      DECISION_VERIFICATION_TIMEOUT_MS: '90000',
      VERIFY_PROOF_TIMEOUT_MS: '60000',
      DECISION_MAX_ATTEMPTS: '1',
      ...options.env,
    },
    nodeOptions: options.faults ? { faults: options.faults } : {},
  });
  const { config } = payments;
  const logger = testLogger('engine-test', config);
  const kafka = createKafka(config, logger, 'engine-test');
  await ensureTopics(config, logger);

  const alternate = options.alternateNode ? await startAlternateNode(payments, logger) : undefined;
  const verdictProducer = createIdempotentProducer(kafka);
  await verdictProducer.connect();
  const verifier = await startVerifier({
    config,
    logger,
    port: 0,
    publisher: createKafkaVerdictPublisher(verdictProducer, config.kafka.verdictsTopic),
  });
  const backOffice = await startBackOffice({ config, logger, port: 0 });
  const erp = createErpClient({ baseUrl: backOffice.url });
  const tms = createTmsClient({ baseUrl: backOffice.url });

  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: temporalClientInterceptors(activeTracing()),
  });
  const metrics = {
    bridge: options.observe
      ? createMetrics(combineMetricsOptions(DECISION_METRICS_OPTIONS, KAFKA_METRICS_OPTIONS))
      : undefined,
    worker: createMetrics(ACTIVITY_METRICS_OPTIONS),
    verifier: verifier.metrics,
  };
  const bridge: Bridge = await startBridge({
    config,
    logger,
    kafka,
    starter: createDecisionStarter(client, config.temporal.taskQueue, decisionSettings(config)),
    metrics: metrics.bridge,
  });

  const { collected, consumer } = await collect(kafka, [config.kafka.decisionsTopic, config.kafka.deadLetterTopic]);
  const producer: Producer = createIdempotentProducer(kafka);
  await producer.connect();

  const bundle = process.env.PROOFPATH_TEST_WORKFLOW_BUNDLE;
  if (!bundle)
    throw new Error(
      'PROOFPATH_TEST_WORKFLOW_BUNDLE is unset: run through jest (the global setup bundles the workflows)',
    );
  // The global bundle has no tracing interceptors; a traced engine bundles its own (a few seconds, only when tracing).
  const workflowCode = activeTracing() ? await tracedBundle() : fs.readFileSync(bundle, 'utf8');
  const children: ChildProcess[] = [];
  const withOverrides = (real: ReturnType<typeof createActivities>) => ({
    ...real,
    ...options.activityOverrides?.(real),
  });
  let worker:
    { worker: Worker; running: Promise<void>; connection: NativeConnection; close(): Promise<void> } | undefined;

  const engine: Engine = {
    config,
    logger,
    client,
    payments,
    alternate,
    metrics,
    verifierUrl: verifier.url,
    erp,
    tms,
    async emit(event, key) {
      const subject = (event as { subject?: string }).subject ?? null;
      await engine.emitRaw(JSON.stringify(event), key === undefined ? subject : key);
    },
    async emitRaw(value, key = null) {
      // Traced like any producer: a logistics event emitted inside a span carries its traceparent to the bridge.
      await sendTraced(producer, { topic: config.kafka.inputTopic, acks: -1, messages: [{ key, value }] });
    },
    decisionEvents: (decisionId) =>
      (collected.get(config.kafka.decisionsTopic) ?? []).filter(
        (e) => (e as DecisionEvent).subject === decisionId,
      ) as DecisionEvent[],
    deadLetters: () => (collected.get(config.kafka.deadLetterTopic) ?? []) as DeadLetter[],
    async waitFor(what, probe, timeoutMs = 150_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const value = await probe();
        if (value !== undefined && value !== false) return value as never;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    async startWorker() {
      const dependencies = await createActivityDependencies(config, logger, {
        nodeUrls: [payments.node.url, ...(alternate ? [alternate.url] : [])],
        verifier: createHttpVerificationRequester(verifier.url, jobSignerFor(config.keys.payer)),
        erp,
        tms,
        escrow: createPaymentEscrow({
          ...config,
          payments: { ...config.payments, facilitatorUrl: payments.facilitator.url },
        }),
        channel: createPaymentChannel({
          ...config,
          payments: { ...config.payments, facilitatorUrl: payments.facilitator.url },
        }),
      });
      const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
      const w = await Worker.create({
        connection: nativeConnection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        workflowBundle: { code: workflowCode },
        activities: withOverrides(createActivities(dependencies.deps)),
        ...decisionWorkerObservability(metrics.worker, true),
      });
      worker = { worker: w, running: w.run(), connection: nativeConnection, close: dependencies.close };
    },
    async stopWorker() {
      if (!worker) return;
      const current = worker;
      worker = undefined;
      current.worker.shutdown();
      await current.running;
      await current.connection.close();
      await current.close();
    },
    async startWorkerProcess() {
      const env = {
        ...process.env,
        ...configToEnv(config),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        INFERENCE_NODE_URL: payments.node.url,
        INFERENCE_NODE_ALTERNATE_URLS: alternate?.url ?? '',
        VERIFIER_URL: verifier.url,
        ERP_URL: backOffice.url,
        // No metrics listener: its fixed port would collide with any other worker on this machine.
        WORKER_METRICS_PORT: '0',
      };
      const process_ = await startEngineProcess('worker', env, 'worker running');
      children.push(process_.child);
      return process_.child;
    },
    async close() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await engine.stopWorker();
      await bridge.stop();
      await consumer.disconnect();
      await Promise.all([producer.disconnect(), verdictProducer.disconnect()]);
      await verifier.close();
      await alternate?.close();
      await backOffice.close();
      await connection.close();
      await payments.close();
    },
  };
  await engine.startWorker();
  return engine;
}

let traced: Promise<string> | undefined;
function tracedBundle(): Promise<string> {
  traced ??= bundleDecisionWorkflows({ traced: true });
  return traced;
}

async function collect(
  kafka: Kafka,
  topics: string[],
): Promise<{ collected: Map<string, unknown[]>; consumer: Consumer }> {
  const collected = new Map<string, unknown[]>(topics.map((t) => [t, []]));
  const consumer = kafka.consumer({ groupId: uniqueName('observer') });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => void collected.get(topic)?.push(JSON.parse(String(message.value))),
  });
  return { collected, consumer };
}

/** A second, honest node with its own key: registered on the settlement registry by the deployer, and (by itself) in the allow-list. */
async function startAlternateNode(payments: PaymentsStack, logger: Logger): Promise<InferenceNodeHandle> {
  const nodeKey = await fundedDevelopmentKey(payments.config);
  const config = { ...payments.config, keys: { ...payments.config.keys, node: nodeKey } };
  const deployer = createChainClients(config, config.keys.deployer);
  const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;
  const hash = await deployer.walletClient.writeContract({
    address: payments.deployment.registry.address,
    abi,
    functionName: 'registerNode',
    args: [privateKeyToAccount(nodeKey).address],
  });
  await deployer.publicClient.waitForTransactionReceipt({ hash });
  return startInferenceNode({
    config,
    logger,
    runtime: inferenceRuntimeFromModels(await realModels()),
    port: 0,
    settlementMode: 'deferred',
    facilitator: createHttpFacilitatorClient(payments.facilitator.url),
  });
}
