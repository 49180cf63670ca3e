// A facilitator process SIGKILLed after it sent a transaction and before it saw the receipt (the worst moment: the
// chain has the transaction, the process's memory of it is gone). An RPC tap between the process and anvil forwards
// the transaction, kills the process, and never answers. A restarted process must lose nothing (the money that moved
// is reported, with the transaction that moved it) and move nothing twice (balances on chain, GET /settlements/:id).
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { configToEnv } from '../../../src/config';
import { EscrowSettlementSchema, ReceiptRecordSchema } from '../../../src/contracts';
import { freeLocalPort, startEngineProcess, type EngineProcess } from '../../../src/devstack/engine-process';
import { inferenceRuntimeFromModels, startInferenceNode } from '../../../src/inference-node';
import { createHttpFacilitatorClient } from '../../../src/payments';
import { receiptDigest } from '../../../src/verification';
import { testLogger } from '../../support/test-config';
import {
  holdIdOf,
  payWithOfficialClient,
  signRelease,
  startEscrowStack,
  waitForHold,
  type EscrowStack,
} from './support/escrow-stack';
import { startRpcTap, type RpcTap } from './support/rpc-tap';

describe('a facilitator process killed between submitting a transaction and its receipt', () => {
  let stack: EscrowStack;
  let tap: RpcTap;
  let env: NodeJS.ProcessEnv;
  let url: string;
  let facilitator: EngineProcess | undefined;
  const price = () => BigInt(stack.config.payments.defaultPrice);

  beforeAll(async () => {
    stack = await startEscrowStack({ PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS: '0' });
    tap = await startRpcTap(stack.config.chain.rpcUrl);
    const port = await freeLocalPort();
    url = `http://127.0.0.1:${port}`;
    // The same keys, contracts and state directory as the stack; its chain is reached through the tap.
    env = {
      ...process.env,
      ...configToEnv(stack.config),
      CHAIN_RPC_URL: tap.url,
      FACILITATOR_PORT: String(port),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info', // the ready line is an info line
      PROOFPATH_TRACING: 'off',
    };
  });
  afterAll(async () => {
    facilitator?.kill();
    await tap?.close();
    await stack?.close();
  });

  const startProcess = async () => {
    facilitator = await startEngineProcess('facilitator', env, 'facilitator listening');
    return facilitator;
  };
  /** Arms the tap: the next transaction the process sends reaches the chain, then the process dies by SIGKILL. */
  const killAfterNextSend = (process_: EngineProcess) =>
    tap.armNextSend(async () => {
      const exited = new Promise((resolve) => process_.child.once('exit', resolve));
      process_.kill();
      await exited;
    });
  const view = async (holdId: Hex) => {
    const body = (await (await fetch(`${url}/settlements/${holdId}`)).json()) as { escrow: unknown };
    return EscrowSettlementSchema.parse(body.escrow);
  };

  it('capture: the restarted process reports the capture the dead one sent, and retries move no money', async () => {
    const { body } = await payWithOfficialClient(stack, stack.payerKeys[26]!);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const release = {
      receiptDigest: receiptDigest(body.receipt),
      signature: await signRelease(stack, stack.config.keys.verifier, holdId, body, 'capture'),
    };

    const dying = await startProcess();
    const sent = killAfterNextSend(dying);
    const lost = await fetch(`${url}/escrow/${holdId}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(release),
    }).catch((error: unknown) => error);
    expect(String((lost as Error).message)).toMatch(/fetch failed/); // the caller never got an answer
    const transaction = await sent;
    expect(dying.child.signalCode).toBe('SIGKILL');
    await waitForHold(stack, holdId, 'captured');

    await startProcess();
    await expect(view(holdId)).resolves.toMatchObject({ state: 'captured', capture: { status: 'done', transaction } });
    const retries = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${url}/escrow/${holdId}/capture`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(release),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
      ),
    );
    for (const retry of retries)
      expect(retry).toMatchObject({ status: 200, body: { status: 'done', alreadyDone: true, transaction } });
    const refund = await fetch(`${url}/escrow/${holdId}/refund`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        receiptDigest: release.receiptDigest,
        signature: await signRelease(stack, stack.config.keys.verifier, holdId, body, 'refund'),
        reason: 'too late',
      }),
    });
    expect(refund.status).toBe(409);
    expect((await stack.escrow.eventsOf(holdId)).filter((e) => e.step === 'capture')).toHaveLength(1);
    await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(nodeBefore + price());
    facilitator?.kill();
  });

  it('authorize: a payment whose authorize the dead process sent is held once, and the node records it settled', async () => {
    // A node that settles through the facilitator process, retrying long enough to outlive the crash.
    const nodeConfig = stack.configWith({ PAYMENT_SETTLE_ATTEMPTS: '40', PAYMENT_SETTLE_BACKOFF_MS: '500' });
    const dying = await startProcess();
    const node = await startInferenceNode({
      config: nodeConfig,
      logger: testLogger('node-via-process', nodeConfig),
      runtime: inferenceRuntimeFromModels(stack.models),
      port: 0,
      settlementMode: 'escrow',
      facilitator: createHttpFacilitatorClient(url),
    });
    try {
      const payerKey = stack.payerKeys[27]!;
      const payer = privateKeyToAccount(payerKey).address;
      const payerBefore = await stack.balanceOf(payer);
      const sent = killAfterNextSend(dying);
      const { body } = await payWithOfficialClient({ ...stack, node } as EscrowStack, payerKey);
      const holdId = holdIdOf(body);
      const transaction = await sent;
      expect(dying.child.signalCode).toBe('SIGKILL');
      await waitForHold(stack, holdId);

      await startProcess();
      // The node's retried settle reaches the new process, which finds the authorize on chain instead of sending another.
      const settled = await waitFor(async () => {
        const record = ReceiptRecordSchema.parse(
          await (await fetch(`${node.url}/v1/receipts/${body.receipt.receiptId}`)).json(),
        );
        return record.settlement?.status === 'settled' ? record : undefined;
      });
      expect(settled.settlement?.transaction).toBe(transaction);
      await expect(view(holdId)).resolves.toMatchObject({ state: 'held', authorize: { status: 'done', transaction } });
      expect((await stack.escrow.eventsOf(holdId)).filter((e) => e.step === 'authorize')).toHaveLength(1);
      await expect(stack.balanceOf(payer)).resolves.toBe(payerBefore - price());
    } finally {
      await node.close();
      facilitator?.kill();
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
