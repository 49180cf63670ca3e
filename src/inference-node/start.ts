// Starts an inference node: x402-protected inference over a model runtime, signed receipts, settlement per mode, and
// what verifiers need to check it later (attestation of the signing key, zkML proofs, allow-list entry).
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { FacilitatorClient } from '@x402/core/server';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  checkTokenDomain,
  createReceiptRegistry,
  paymentAssetOf,
  registryAddressOf,
  type PaymentAsset,
} from '../chain';
import type { EngineConfig } from '../config';
import type { SettlementMode } from '../contracts/receipt';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../observability';
import { ESCROW_ADDRESS, ESCROW_COLLECTOR_ADDRESS } from '../chain/escrow-placement';
import {
  createBatchCommitter,
  createHttpFacilitatorClient,
  createPaymentGate,
  createPaymentVerifyOnlyFacilitator,
  createQuietGate,
  verifyingPaymentsInProcess,
  createChannelGate,
  openNodeChannelBook,
} from '../payments';
import { sleep } from '../retry';
import type { EnclaveAttester, NodeFault } from '../verification';
import { createLimitedServer, httpLimitsOf } from '../http-limits';
import { createNodeApp } from './app';
import { createInferHandler } from './paid-inference';
import { createPricing } from './pricing';
import { openReceiptStore } from './receipt-store';
import { createEphemeralReceiptSigner, type ReceiptSigner } from './receipt-signer';
import type { InferenceRuntime } from './runtime';
import { createSettlementQueue } from './settlement-queue';
import { setUpVerifiability } from './verifiability';

/** How long a stopping node waits for its settlements and commitments in flight before leaving them to the journal. */
const SHUTDOWN_DRAIN_MS = 10_000;
/** How long requests in progress at shutdown may take to be answered before their connections are cut. */
const SHUTDOWN_CONNECTIONS_GRACE_MS = 5_000;
export type InferenceNodeOptions = {
  config: EngineConfig;
  logger: Logger;
  runtime: InferenceRuntime;
  port?: number;
  /** Export Node.js process metrics (CPU, memory, event loop) at /metrics: the node is the whole process. */
  processMetrics?: boolean;
  settlementMode?: SettlementMode;
  /** Facilitator port; defaults to an HTTP client for config.payments.facilitatorUrl. It always settles; it verifies
   *  too unless `verifyInProcess` is on. */
  facilitator?: FacilitatorClient;
  /** Verify payments in this process (x402's EVM exact verify, read-only client) rather than through `facilitator`.
   *  Default: config.payments.verifyInProcess. */
  verifyInProcess?: boolean;
  signer?: ReceiptSigner;
  prices?: Record<string, bigint | number | string>;
  asset?: PaymentAsset;
  registryAddress?: `0x${string}`;
  journalFile?: string;
  /** Misbehaviours to inject, for tests and demos only (refused in production). Default: NODE_FAULTS, i.e. none. */
  faults?: NodeFault[];
  /** The model `output_for_other_model` runs instead of the requested one. Default: NODE_FAULT_SUBSTITUTE_MODEL. */
  substituteModelId?: string;
  /**
   * The enclave that attests the receipt-signing key. Development: the development enclave (a stand-in for Nitro).
   * Production: required, since this project has no Nitro NSM driver; without it the node refuses to start.
   */
  enclave?: EnclaveAttester;
  /** Add this node's measurements to the signed allow-list at start. Default: true in development, false in production. */
  registerInAllowList?: boolean;
  /** false: no zkML proofs from this node (benchmarks of the payment path; a separate prover pool). Default true. */
  proving?: boolean;
  /** Key that signs the allow-list when registering. Default: the deployer key (the verifier's operator in development). */
  allowListOperatorKey?: Hex;
};

export type InferenceNodeHandle = {
  url: string;
  nodeId: string;
  /** The attested receipt-signing key's address. */
  signerAddress: `0x${string}`;
  settlementMode: SettlementMode;
  /** Faults this node injects (empty on an honest node). */
  faults: NodeFault[];
  /** The PCRs the node's measurements give (what the allow-list entry names). */
  pcrs: Record<number, string>;
  metrics: Metrics;
  /** Waits for background settlements and commitments (and flushes a pending batch). */
  drain(): Promise<void>;
  close(): Promise<void>;
};

export async function startInferenceNode(options: InferenceNodeOptions): Promise<InferenceNodeHandle> {
  const { config, runtime } = options;
  const mode = options.settlementMode ?? config.payments.settlementMode;
  const logger = options.logger.child({ settlementMode: mode });
  const nodeAddress = privateKeyToAccount(config.keys.node).address;
  const nodeId = nodeAddress;
  const asset = options.asset ?? paymentAssetOf(config);
  // Payers sign against the domain the node advertises: a wrong one would refuse every payment as a bad signature.
  const domain = await checkTokenDomain(config, asset);
  if (!domain.checked)
    logger.warn(
      { asset: asset.address, reason: domain.reason },
      'cannot check the token EIP-712 domain; payments fail if it is wrong',
    );
  const signer = options.signer ?? createEphemeralReceiptSigner();
  const journalFile = options.journalFile ?? path.join(config.stateDir, 'node', `${nodeAddress.toLowerCase()}.jsonl`);
  const verifiability = await setUpVerifiability({
    proofJournalFile: journalFile.replace(/(\.jsonl)?$/, '.proofs.jsonl'),
    keyAttestationFile: journalFile.replace(/(\.jsonl)?$/, '.keys.jsonl'),
    config,
    logger,
    nodeId,
    modelIds: runtime.listModels().map((m) => m.modelId),
    signer,
    faults: options.faults,
    substituteModelId: options.substituteModelId,
    enclave: options.enclave,
    registerInAllowList: options.registerInAllowList,
    allowListOperatorKey: options.allowListOperatorKey,
    proving: options.proving,
  });
  const metrics = createMetrics({
    processMetrics: options.processMetrics,
    help: {
      node_infer_ms: 'Infer request latency as served.',
      node_verify_ms: 'Payment verification latency (in process or through the facilitator).',
      node_settle_ms: 'Settlement latency through the facilitator.',
    },
  });
  const remote = options.facilitator ?? createHttpFacilitatorClient(config.payments.facilitatorUrl);
  // The in-process verifier knows x402's exact scheme only: escrow (auth-capture) and channel (batch-settlement)
  // payments verify at the facilitator.
  const paymentVerifier =
    mode !== 'escrow' && mode !== 'channel' && (options.verifyInProcess ?? config.payments.verifyInProcess)
      ? createPaymentVerifyOnlyFacilitator(config)
      : undefined;
  await paymentVerifier?.ready;
  const facilitator = paymentVerifier ? verifyingPaymentsInProcess(remote, paymentVerifier) : remote;
  const escrow =
    mode === 'escrow'
      ? {
          escrow: ESCROW_ADDRESS,
          collector: ESCROW_COLLECTOR_ADDRESS,
          verifier: config.chain.verifierAddress ?? privateKeyToAccount(config.keys.verifier).address,
          captureWindowSeconds: config.payments.escrowCaptureWindowSeconds,
        }
      : undefined;
  const gate = await createPaymentGate({
    facilitator,
    asset,
    payTo: nodeAddress,
    settlementMode: mode,
    maxTimeoutSeconds: config.payments.maxTimeoutSeconds,
    metrics,
    escrow,
  });

  const registryAddress = options.registryAddress ?? registryAddressOf(config);
  const registry = registryAddress ? createReceiptRegistry(config, registryAddress, config.keys.node) : undefined;
  if (!registry) logger.warn('no settlement registry configured: receipts will not be committed on chain');
  // Said once at start, not only per failed receipt: an unregistered key makes every commitment revert.
  const registered = await registry?.isRegisteredNode?.().catch(() => undefined);
  if (registered === false)
    logger.error(
      { node: nodeAddress, registry: registryAddress },
      'this node key is not registered on the settlement registry: every receipt commitment will fail until the owner calls registerNode',
    );
  const store = openReceiptStore(journalFile, logger);
  const { attempts, backoffMs } = {
    attempts: config.payments.settleAttempts,
    backoffMs: config.payments.settleBackoffMs,
  };
  const batcher =
    (mode === 'batch' || mode === 'channel') && registry
      ? createBatchCommitter({
          registry,
          size: config.payments.batchSize,
          intervalMs: config.payments.batchIntervalSeconds * 1000,
          attempts,
          backoffMs,
          logger,
          onOutcome: (entries, outcome) => {
            metrics.count('node_commitments_total', { kind: 'batch', status: outcome.status }, entries.length);
            for (const entry of entries) {
              const at = outcome.proofs.get(entry.receiptId);
              store.setCommitment(entry.receiptId, {
                kind: 'batch',
                status: outcome.status,
                root: outcome.root,
                size: outcome.size,
                index: at?.index,
                proof: at?.proof,
                ...(outcome.status === 'committed' ? { transaction: outcome.transaction } : { reason: outcome.reason }),
              });
            }
          },
        })
      : undefined;
  // Chain work after the answer yields to the requests being answered (see quiet-gate.ts).
  const quiet = createQuietGate({
    quietMs: config.payments.settleQuietMs,
    maxDeferMs: config.payments.settleMaxDeferMs,
  });
  const settlements = createSettlementQueue({
    gate,
    quiet,
    store,
    registry,
    batcher,
    attempts,
    backoffMs,
    concurrency: config.payments.settleConcurrency,
    logger,
    metrics,
  });
  const priceOf = createPricing(config, options.prices);
  // Channel mode: x402 batch-settlement with the verifier as the channels' receiverAuthorizer (it alone signs the
  // verdicts that claim or refund a charge); the node's charges are journalled beside its payment cache.
  const channels =
    mode === 'channel'
      ? {
          gate: await createChannelGate({
            facilitator,
            asset,
            payTo: nodeAddress,
            maxTimeoutSeconds: config.payments.maxTimeoutSeconds,
            offer: {
              verifier: config.chain.verifierAddress ?? privateKeyToAccount(config.keys.verifier).address,
              withdrawDelaySeconds: config.payments.channelWithdrawDelaySeconds,
            },
          }),
          book: openNodeChannelBook(journalFile.replace(/(\.jsonl)?$/, '.channels.jsonl'), logger),
        }
      : undefined;
  const handleInfer = createInferHandler({
    runtime,
    gate,
    store,
    settlements,
    signer: verifiability.receiptSigner,
    faults: verifiability.hooks,
    proofs: verifiability.proofs,
    nodeId,
    mode,
    priceOf,
    channels,
  });

  // Work a previous run of this node left unfinished (journal replay): settle and commit it now.
  const unfinished = store.unfinished();
  unfinished.settlements.forEach((served) => settlements.settleLater(served));
  unfinished.commitments.forEach((c) => settlements.commitLater(c.receiptId, c.digest, c.kind));
  if (unfinished.settlements.length + unfinished.commitments.length > 0)
    logger.info(
      { settlements: unfinished.settlements.length, commitments: unfinished.commitments.length },
      'resuming unfinished work',
    );

  const closing = new AbortController();
  const app = createNodeApp({
    runtime,
    gate: channels?.gate ?? gate,
    store,
    handleInfer,
    quiet,
    priceOf,
    asset,
    nodeId,
    signerAddress: signer.address,
    mode,
    metrics,
    logger,
    attestation: verifiability.attestation,
    keyAttestations: verifiability.keyAttestations,
    proofs: verifiability.proofs,
    closing: closing.signal,
    limits: httpLimitsOf(config, 'node'),
  });
  const server: Server = await new Promise((resolve) => {
    const s = createLimitedServer(httpLimitsOf(config, 'node'), app).listen(
      options.port ?? config.ports.inferenceNode,
      config.ports.host,
      () => resolve(s),
    );
  });
  server.keepAliveTimeout = 30_000;
  const url = `http://${config.ports.host}:${(server.address() as AddressInfo).port}`;
  logger.info(
    {
      url,
      nodeId,
      signer: signer.address,
      asset: asset.address,
      registry: registryAddress,
      faults: verifiability.faults,
    },
    'inference node listening',
  );

  return {
    url,
    nodeId,
    signerAddress: signer.address,
    settlementMode: mode,
    faults: verifiability.faults,
    pcrs: verifiability.pcrs,
    metrics,
    drain: () => settlements.drain(),
    async close() {
      closing.abort();
      await new Promise<void>((resolve) => {
        // The held proof polls answer right after the abort above (with `Connection: close`); their sockets go idle
        // only then, and anything still open after a grace period is cut.
        const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_CONNECTIONS_GRACE_MS).unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
        setImmediate(() => server.closeIdleConnections());
      });
      // Chain work still running gets a bounded time to finish; what is left stays pending in the journal (resumed on
      // the next start) instead of holding the shutdown until an authorization's validBefore.
      await Promise.race([settlements.drain(), sleep(SHUTDOWN_DRAIN_MS)]);
      settlements.stop();
      await settlements.drain();
      await batcher?.close();
      await paymentVerifier?.close();
      await verifiability.close();
    },
  };
}
