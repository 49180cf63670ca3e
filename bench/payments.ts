// Payments benchmark: an unpaid request beside a paid request per settlement mode, in one run on the local anvil, plus
// the facilitator's own verify/settle times. Paid requests present a pre-signed PAYMENT-SIGNATURE, so the comparison
// is what payment adds to serving; payAndInfer end to end (402, sign, pay) is reported separately. Deferred mode runs
// twice: verifying in the node's process (the default) and through the facilitator's /verify, for comparison. After
// each mode the settlement backlog its requests left is drained and timed: fast answers must not hide slow settling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decodePaymentRequiredHeader,
  decodePaymentSignatureHeader,
  encodePaymentSignatureHeader,
} from '@x402/core/http';
import { HTTPFacilitatorClient } from '@x402/core/server';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import { privateKeyToAccount } from 'viem/accounts';
import { deployContracts, fundedDevelopmentKey, writeDeployment } from '../src/chain';
import { anvilAccounts, configToEnv, loadConfig } from '../src/config';
import { freeLocalPort, startEngineProcess } from '../src/devstack/engine-process';
import type { SettlementMode } from '../src/contracts/receipt';
import { inferenceRuntimeFromModels, startInferenceNode, type InferenceNodeHandle } from '../src/inference-node';
import { leanFetch } from '../src/http-client';
import { createLogger } from '../src/log';
import { createOnnxModelRuntime } from '../src/models';
import {
  createPayingClientFromConfig,
  createPaymentVerifyOnlyFacilitator,
  derivePaymentNonce,
  IdempotentExactEvmScheme,
  type PayingClient,
} from '../src/payments';
import { percentile, timeInterleaved, timeIterations, timingOf, type BenchRow, type BenchSection } from './report';

const DEFAULT_ITERATIONS = Number(process.env.BENCH_PAYMENT_ITERATIONS ?? 100);
type Case = { mode: SettlementMode; verifyInProcess: boolean; label: string };
const CASES: Case[] = [
  { mode: 'individual', verifyInProcess: true, label: 'individual' },
  { mode: 'deferred', verifyInProcess: true, label: 'deferred' },
  { mode: 'deferred', verifyInProcess: false, label: 'deferred, verify via facilitator /verify' },
  { mode: 'batch', verifyInProcess: true, label: 'batch' },
];

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => {
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${text.slice(0, 300)}`);
  });

/** Pre-signs `count` distinct payments, rotating over the payer accounts. */
async function signedHeaders(required: PaymentRequired, count: number, tag: string): Promise<string[]> {
  const payers = anvilAccounts().slice(4);
  const requirements = required.accepts[0] as PaymentRequirements;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const account = privateKeyToAccount(payers[i % payers.length]!.privateKey);
      const scheme = new IdempotentExactEvmScheme(account, {
        nonce: derivePaymentNonce(account.address, `${tag}-${i}`),
        issuedAtSeconds: Math.floor(Date.now() / 1000),
      });
      const { payload } = await scheme.createPaymentPayload(2, requirements);
      return encodePaymentSignatureHeader({
        x402Version: 2,
        resource: required.resource,
        accepted: requirements,
        payload,
      });
    }),
  );
}

const versus = (paid: { p50Ms: number }, baseline: { p50Ms: number }, goalCase: boolean): string => {
  const ratio = paid.p50Ms / baseline.p50Ms;
  return `p50 ${ratio.toFixed(1)}x unpaid${goalCase ? (ratio <= 3 ? ' (goal <= 3x: met)' : ' (goal <= 3x: missed)') : ''}`;
};

const row = (name: string, t: { p50Ms: number; p99Ms: number; meanMs: number }, note?: string): BenchRow => ({
  name,
  p50Ms: t.p50Ms,
  p99Ms: t.p99Ms,
  opsPerSec: 1000 / t.meanMs,
  note,
});

/**
 * One JSON-RPC read (eth_blockNumber on the run's chain) over Node's global fetch and over the engine's lean fetch
 * (src/http-client). Taken in blocks (global, lean, global, lean), each block's CPU read around the whole block
 * (process.cpuUsage), before any node of this section runs: nothing else of this process works meanwhile.
 */
async function rpcCallCosts(rpcUrl: string, iterations: number): Promise<BenchRow[]> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] });
  const clients = { global: fetch, lean: leanFetch };
  const cpuUs = { global: 0, lean: 0 };
  const samples = { global: [] as number[], lean: [] as number[] };
  const block = iterations / 2;
  for (let round = 0; round < 2; round++)
    for (const name of ['global', 'lean'] as const) {
      const call = async () => {
        const response = await clients[name](rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.json();
      };
      for (let i = 0; i < 50; i++) await call(); // warm-up, untimed
      const before = process.cpuUsage();
      const timed = await timeIterations(call, block, 0);
      const used = process.cpuUsage(before);
      cpuUs[name] += used.user + used.system;
      samples[name].push(...timed.samplesMs);
    }
  const cpuPerCall = (name: keyof typeof cpuUs) => `${(cpuUs[name] / 1000 / iterations).toFixed(2)} ms CPU per call`;
  return [
    row('JSON-RPC read over the global fetch (eth_blockNumber)', timingOf(samples.global), cpuPerCall('global')),
    row(
      "JSON-RPC read over the engine's leanFetch (undici request)",
      timingOf(samples.lean),
      `${cpuPerCall('lean')}, in blocks alternating with the row above`,
    ),
  ];
}

export async function benchPayments(ITERATIONS = DEFAULT_ITERATIONS): Promise<BenchSection> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-bench-payments-'));
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const [deployer, facilitatorKey, nodeKey] = await Promise.all([
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
    fundedDevelopmentKey(base),
  ]);
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    PROOFPATH_STATE_DIR: stateDir,
    DEPLOYER_PRIVATE_KEY: deployer,
    FACILITATOR_PRIVATE_KEY: facilitatorKey,
    NODE_PRIVATE_KEY: nodeKey,
    PAYMENT_BATCH_SIZE: '32',
  });
  const logger = createLogger('bench-payments', config);
  writeDeployment(
    config,
    await deployContracts({
      config,
      logger,
      mintTo: anvilAccounts()
        .slice(4)
        .map((a) => a.address),
    }),
  );
  const models = await createOnnxModelRuntime();
  const runtime = inferenceRuntimeFromModels(models);
  const modelId = models.describe('supplier-risk').id;
  // The facilitator runs in its own process, as deployed: its settlements (signing, receipt polling) must not share
  // the node's event loop, or the bench would charge the node for work production does elsewhere.
  const facilitatorPort = await freeLocalPort();
  const facilitatorProcess = await startEngineProcess(
    'facilitator',
    {
      ...process.env,
      ...configToEnv(config),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      FACILITATOR_PORT: String(facilitatorPort),
    },
    'facilitator listening',
  );
  const facilitator = { url: `http://127.0.0.1:${facilitatorPort}` };
  const body = JSON.stringify({
    rows: [models.describe('supplier-risk').featureOrder.map((f) => (f.min + f.max) / 2)],
  });
  const nodes: InferenceNodeHandle[] = [];
  const start = async (mode: SettlementMode, prices?: Record<string, number>, verifyInProcess = true) => {
    const node = await startInferenceNode({
      config,
      logger,
      runtime,
      port: 0,
      settlementMode: mode,
      prices,
      proving: false,
      verifyInProcess,
      facilitator: new HTTPFacilitatorClient({ url: facilitator.url }),
    });
    nodes.push(node);
    return node;
  };
  try {
    const rows: BenchRow[] = [];
    rows.push(...(await rpcCallCosts(config.chain.rpcUrl, ITERATIONS * 10)));
    const free = await start('deferred', { [modelId]: 0 });
    const listing = await timeIterations(() => fetch(`${free.url}/v1/models`).then((r) => r.arrayBuffer()), ITERATIONS);
    rows.push(row('GET /v1/models (unpaid)', listing));
    const postUnpaid = () => post(`${free.url}/v1/models/${modelId}/infer`, body);
    const unpaid = await timeIterations(postUnpaid, ITERATIONS);
    rows.push(row('infer, unpaid (model priced 0)', unpaid, 'baseline'));

    let deferred: InferenceNodeHandle | undefined;
    for (const { mode, verifyInProcess, label } of CASES) {
      // A case that fails on this shared chain (another user's load or restart) is reported as failed, not the run.
      try {
        const node = await start(mode, undefined, verifyInProcess);
        if (mode === 'deferred' && verifyInProcess) deferred = node;
        const url = `${node.url}/v1/models/${modelId}/infer`;
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const required = decodePaymentRequiredHeader(response.headers.get('PAYMENT-REQUIRED') as string);
        const warmup = 10;
        const headers = await signedHeaders(required, ITERATIONS + warmup, `bench-${mode}-${Date.now()}`);
        if (mode === 'deferred' && verifyInProcess) {
          // x402's verify in process alone, with nothing settling: the floor the paid path stands on.
          const paymentVerifier = createPaymentVerifyOnlyFacilitator(config);
          const payloads = (await signedHeaders(required, ITERATIONS + warmup, `bench-verify-${Date.now()}`)).map(
            decodePaymentSignatureHeader,
          );
          let v = 0;
          const requirements = required.accepts[0] as PaymentRequirements;
          const isolated = await timeIterations(
            async () => {
              const result = await paymentVerifier.verify(payloads[v++]!, requirements);
              if (!result.isValid) throw new Error(`verify refused a valid payment: ${result.invalidReason}`);
            },
            ITERATIONS,
            warmup,
          );
          await paymentVerifier.close();
          rows.push(
            row(
              '  verify in process, isolated (nothing settling)',
              isolated,
              'x402 exact/evm verify over a read-only client',
            ),
          );
        }
        let next = 0;
        const payNext = () => post(url, body, { 'PAYMENT-SIGNATURE': headers[next++] as string });
        const goalCase = mode === 'deferred' && verifyInProcess;
        if (goalCase) {
          // The goal's pair, taken in turns (unpaid, paid, unpaid, ...): a load swing of this shared machine then falls on
          // both alike, which two loops minutes apart cannot promise (they measured 2.1x and 9.7x half an hour apart).
          const pair = await timeInterleaved({ unpaid: postUnpaid, paid: payNext }, ITERATIONS, warmup);
          rows.push(row('infer, unpaid, in turns with the paid deferred requests', pair.unpaid, 'the goal pair'));
          rows.push(row(`infer, paid, ${label}`, pair.paid, versus(pair.paid, pair.unpaid, true)));
        } else {
          const paid = await timeIterations(payNext, ITERATIONS, warmup);
          rows.push(row(`infer, paid, ${label}`, paid, versus(paid, unpaid, false)));
        }
        const verify = node.metrics.samples('node_verify_ms').sort((a, b) => a - b);
        rows.push({
          name: `  verify as the node sees it, ${label}`,
          p50Ms: percentile(verify, 50),
          p99Ms: percentile(verify, 99),
          note: `${verify.length} samples, ${verifyInProcess ? 'in process' : 'HTTP round trip'}`,
        });
        const replay = await timeIterations(
          () => post(url, body, { 'PAYMENT-SIGNATURE': headers[0] as string }),
          ITERATIONS,
          5,
        );
        rows.push(row(`infer, re-presented payment, ${label}`, replay, 'answered from the cache'));
        const drainStarted = performance.now();
        await node.drain();
        const drainMs = performance.now() - drainStarted;
        if (mode !== 'individual')
          rows.push({
            name: `  settlement backlog left by ${label}`,
            p50Ms: drainMs,
            p99Ms: drainMs,
            note: `ms to settle and commit what the ${ITERATIONS + warmup} answers left pending (PAYMENT_SETTLE_CONCURRENCY=${config.payments.settleConcurrency})`,
          });
        if (goalCase) {
          // The same requests with each one's settlement and commitment finished (untimed) before the next is sent: what
          // a paid answer costs when settling does not compete for this machine's two cores (as with a remote chain).
          const pacedHeaders = await signedHeaders(required, ITERATIONS + warmup, `bench-paced-${Date.now()}`);
          let p = 0;
          const paced = await timeIterations(
            () => post(url, body, { 'PAYMENT-SIGNATURE': pacedHeaders[p++] as string }),
            ITERATIONS,
            warmup,
            () => node.drain(),
          );
          rows.push(
            row(
              `infer, paid, ${label}, paced (settlement drained between requests)`,
              paced,
              versus(paced, unpaid, false),
            ),
          );
        }
      } catch (error) {
        if (mode === 'deferred' && verifyInProcess) throw error;
        rows.push({
          name: `infer, paid, ${label}`,
          p50Ms: Number.NaN,
          p99Ms: Number.NaN,
          note: `failed: ${(error as Error).message.slice(0, 200)}`,
        });
      }
    }
    if (!deferred) throw new Error('no deferred node');
    // A client that knows the node's offer pays with its first request; a new client (or a changed offer) first meets
    // the 402. In turns, same node, same run.
    const payerKey = anvilAccounts()[5]!.privateKey;
    const client = createPayingClientFromConfig(config, { privateKey: payerKey });
    let k = 0;
    const parsedRows = (JSON.parse(body) as { rows: number[][] }).rows;
    const payAndInfer = (payer: PayingClient) => () =>
      payer.payAndInfer({
        nodeUrl: deferred.url,
        modelId,
        rows: parsedRows,
        idempotencyKey: `bench-e2e-${Date.now()}-${k++}`,
      });
    const endToEnd = await timeInterleaved(
      {
        offerKnown: payAndInfer(client),
        firstPayment: () => payAndInfer(createPayingClientFromConfig(config, { privateKey: payerKey }))(),
      },
      Math.min(ITERATIONS, 50),
      5,
    );
    rows.push(row('payAndInfer end to end, deferred, offer known (sign + pay)', endToEnd.offerKnown));
    rows.push(
      row(
        'payAndInfer end to end, deferred, first payment (402 + sign + pay)',
        endToEnd.firstPayment,
        'in turns with the row above',
      ),
    );

    // The facilitator is another process: its settle time is read where the node sees it (one /settle round trip,
    // which includes the block), over every node of this run.
    const settles = nodes.flatMap((n) => n.metrics.samples('node_settle_ms')).sort((a, b) => a - b);
    rows.push({
      name: 'facilitator settle, as the node sees it (incl. block)',
      p50Ms: percentile(settles, 50),
      p99Ms: percentile(settles, 99),
      note: `${settles.length} samples`,
    });
    return { title: `Payments (x402 on anvil, ${ITERATIONS} sequential requests per case)`, rows };
  } finally {
    for (const node of nodes) await node.close();
    facilitatorProcess.kill();
    await models.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
