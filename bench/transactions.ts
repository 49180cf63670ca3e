// `npm run bench:transactions -- [--inferences 100]`: on-chain transactions per paid inference in each settlement mode,
// counted from anvil's blocks. Per mode: fresh keys and contracts, an in-process facilitator and node, N sequential
// paid inferences through the engine's own paying client (what a decision's payAndInfer step does), then what the
// verdict does with the money (escrow: the verifier-signed capture through the facilitator, as capturePayment does;
// channel: the verifier-signed claim of each charge, which the facilitator submits in batches of
// PAYMENT_CHANNEL_CLAIM_BATCH_SIZE, the last partial batch flushed as its timer would).
// Counted: every transaction in the blocks of the run whose sender is this run's facilitator, node or verifier key
// (deployment and funding excluded; other users of a shared anvil do not use these keys).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { privateKeyToAccount } from 'viem/accounts';
import {
  createChannelContract,
  createReadClient,
  deployContracts,
  ensureChannelContracts,
  ensureEscrowContracts,
  fundedDevelopmentKey,
  writeDeployment,
} from '../src/chain';
import { anvilAccounts, loadConfig, type EngineConfig } from '../src/config';
import type { SettlementMode } from '../src/contracts/receipt';
import { chargeOfPaymentRef, createPaymentChannel } from '../src/decisions/payment-channel';
import { createPaymentEscrow } from '../src/decisions/payment-escrow';
import { inferenceRuntimeFromModels, startInferenceNode } from '../src/inference-node';
import { createLogger } from '../src/log';
import { createOnnxModelRuntime, type ModelRuntime } from '../src/models';
import {
  createHttpFacilitatorClient,
  createPayingClientFromConfig,
  startFacilitator,
  type PayAndInferResult,
} from '../src/payments';

const MODES: SettlementMode[] = ['individual', 'deferred', 'batch', 'escrow', 'channel'];
const BATCH_SIZE = 16;

export type TransactionCount = { mode: SettlementMode; inferences: number; transactions: number; bySender: string };

async function configFor(mode: SettlementMode): Promise<{ config: EngineConfig; stateDir: string }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-bench-tx-'));
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const [deployer, facilitator, node, verifier] = await Promise.all(
    Array.from({ length: 4 }, () => fundedDevelopmentKey(base)),
  );
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    PROOFPATH_STATE_DIR: stateDir,
    DEPLOYER_PRIVATE_KEY: deployer,
    FACILITATOR_PRIVATE_KEY: facilitator,
    NODE_PRIVATE_KEY: node,
    VERIFIER_PRIVATE_KEY: verifier,
    PAYER_PRIVATE_KEY: anvilAccounts()[30]!.privateKey,
    PAYMENT_SETTLEMENT_MODE: mode,
    PAYMENT_BATCH_SIZE: String(BATCH_SIZE),
    PAYMENT_BATCH_INTERVAL_SECONDS: '3600', // roots by size only, so the count does not depend on timing
    PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS: '0',
    PAYMENT_CHANNEL_CLAIM_BATCH_SIZE: String(BATCH_SIZE),
    PAYMENT_CHANNEL_CLAIM_INTERVAL_SECONDS: '3600', // claims by size only; the last partial batch is flushed below
    PAYMENT_SETTLE_BACKOFF_MS: '50',
  });
  return { config, stateDir };
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function countTransactions(
  mode: SettlementMode,
  inferences: number,
  models: ModelRuntime,
): Promise<TransactionCount> {
  const { config, stateDir } = await configFor(mode);
  const logger = createLogger('bench-transactions', config);
  writeDeployment(config, await deployContracts({ config, logger, mintTo: [anvilAccounts()[30]!.address] }));
  if (mode === 'escrow') await ensureEscrowContracts(config);
  if (mode === 'channel') await ensureChannelContracts(config);
  const chain = createReadClient(config);
  const senders = new Map(
    (['facilitator', 'node', 'verifier'] as const).map((role) => [
      privateKeyToAccount(config.keys[role]).address.toLowerCase(),
      role,
    ]),
  );
  const facilitator = await startFacilitator({ config, logger, port: 0 });
  const node = await startInferenceNode({
    config,
    logger,
    runtime: inferenceRuntimeFromModels(models),
    port: 0,
    settlementMode: mode,
    proving: false,
    facilitator: createHttpFacilitatorClient(facilitator.url),
  });
  const firstBlock = (await chain.getBlockNumber()) + 1n;
  try {
    const client = createPayingClientFromConfig(config);
    const model = models.describe('supplier-risk');
    const rows = [model.featureOrder.map((f) => (f.min + f.max) / 2)];
    const paid: PayAndInferResult[] = [];
    for (let i = 0; i < inferences; i++)
      paid.push(
        await client.payAndInfer({
          nodeUrl: node.url,
          modelId: model.id,
          rows,
          idempotencyKey: `bench-tx-${mode}-${Date.now()}-${i}`,
        }),
      );
    // Everything the node still owes the chain: settlements, commitments (batch: full batches only).
    await waitUntil(`${mode} settlements and commitments`, async () => {
      type Record = { settlement?: { status: string }; commitment?: { status: string } };
      const records = await Promise.all(
        paid.map(async (p) => (await (await fetch(`${node.url}/v1/receipts/${p.receipt.receiptId}`)).json()) as Record),
      );
      const fullBatches = Math.floor(inferences / BATCH_SIZE) * BATCH_SIZE;
      const rooted = mode === 'batch' || mode === 'channel';
      return records.every(
        (r, i) =>
          // Channel mode: the deposit settles with the first inference; a voucher needs no settlement.
          (r.settlement?.status === 'settled' || (mode === 'channel' && r.settlement?.status === 'not_required')) &&
          // A batch's last, partial root waits for PAYMENT_BATCH_INTERVAL_SECONDS; its share is added below.
          (r.commitment?.status === 'committed' || (rooted && i >= fullBatches)),
      );
    });
    if (mode === 'escrow') {
      const escrow = createPaymentEscrow(
        { ...config, payments: { ...config.payments, facilitatorUrl: facilitator.url } },
        fetch,
      );
      for (const [i, p] of paid.entries())
        await escrow.capture({
          decisionId: `bench-${i}`,
          nodeUrl: node.url,
          receiptId: p.receipt.receiptId,
          paymentRef: p.paymentRef,
        });
    }
    if (mode === 'channel') await claimVerifiedCharges(config, facilitator, paid);
    const lastBlock = await chain.getBlockNumber();
    const counts = new Map<string, number>();
    for (let n = firstBlock; n <= lastBlock; n++) {
      const block = await chain.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        const role = senders.get(tx.from.toLowerCase());
        if (role) counts.set(role, (counts.get(role) ?? 0) + 1);
      }
    }
    const transactions = [...counts.values()].reduce((a, b) => a + b, 0);
    const bySender = [...counts].map(([role, n]) => `${role} ${n}`).join(', ');
    return { mode, inferences, transactions, bySender };
  } finally {
    await node.close();
    await facilitator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** What capturePayment does for each verified channel charge; the facilitator claims them in batches. */
async function claimVerifiedCharges(
  config: EngineConfig,
  facilitator: Awaited<ReturnType<typeof startFacilitator>>,
  paid: PayAndInferResult[],
): Promise<void> {
  const verdicts = createPaymentChannel(
    { ...config, payments: { ...config.payments, facilitatorUrl: facilitator.url } },
    fetch,
  );
  for (const p of paid) await verdicts.claim({ paymentRef: p.paymentRef, amount: p.amount ?? '0' });
  await facilitator.channelCharges.flush(); // the last, partial batch, as PAYMENT_CHANNEL_CLAIM_INTERVAL_SECONDS would
  const channels = createChannelContract(config);
  await waitUntil('channel claims', async () => {
    const states = await Promise.all(
      paid.map((p) => {
        const { channelId, cumulative } = chargeOfPaymentRef(p.paymentRef);
        return channels.chargeStateOf(channelId, cumulative);
      }),
    );
    return states.every((s) => s === 'claimed');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inferences: { type: 'string' }, modes: { type: 'string' } } });
  const inferences = Number(values.inferences ?? 100);
  const modes = values.modes ? (values.modes.split(',') as SettlementMode[]) : MODES;
  const models = await createOnnxModelRuntime();
  console.log(`| mode | paid inferences | transactions (by sender) | per 100 |`);
  console.log(`|---|---|---|---|`);
  for (const mode of modes) {
    const r = await countTransactions(mode, inferences, models);
    console.log(
      `| ${r.mode} | ${r.inferences} | ${r.transactions} (${r.bySender}) | ${((100 * r.transactions) / r.inferences).toFixed(1)} |`,
    );
  }
  process.exit(0);
}

if (require.main === module) void main();
