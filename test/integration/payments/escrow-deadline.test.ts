// Escrow deadlines and facilitator crashes: a payment whose verdict never comes goes back to the payer after the
// capture deadline (anyone may trigger it, the verifier can no longer capture); a facilitator that dies between
// submitting a release and its receipt loses nothing: a fresh one reads the outcome back from the chain.
import { privateKeyToAccount } from 'viem/accounts';
import { createEscrowContract } from '../../../src/chain';
import { EscrowSettlementSchema } from '../../../src/contracts';
import { receiptDigest } from '../../../src/verification';
import { startFacilitator } from '../../../src/payments';
import { testLogger } from '../../support/test-config';
import {
  holdIdOf,
  mineBlock,
  payWithOfficialClient,
  postRelease,
  signRelease,
  startEscrowStack,
  waitForHold,
  type EscrowStack,
} from './support/escrow-stack';

describe('escrow capture deadline', () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    // A 12 s capture window (authorizations valid for 8 s): short enough to wait out in real time on anvil.
    // The facilitator's sweeper is off here: this test shows the refund anyone may make (escrow-sweeper.test.ts the sweeper's).
    stack = await startEscrowStack({
      PAYMENT_ESCROW_CAPTURE_WINDOW_SECONDS: '12',
      PAYMENT_MAX_TIMEOUT_SECONDS: '8',
      PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS: '0',
    });
  });
  afterAll(() => stack?.close());

  it('refunds the payer when no verdict came before the deadline; the verifier can no longer capture', async () => {
    const payerKey = stack.payerKeys[20]!;
    const payer = privateKeyToAccount(payerKey).address;
    const before = await stack.balanceOf(payer);
    const { body } = await payWithOfficialClient(stack, payerKey);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const { captureDeadline } = await stack.escrow.holdOf(holdId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, captureDeadline * 1000 - Date.now()) + 1_500));
    // A quiet anvil's clock moves only with blocks (a public chain makes one every few seconds): mine one.
    await mineBlock(stack);

    const late = await postRelease(stack, holdId, 'capture', {
      receiptDigest: receiptDigest(body.receipt),
      signature: await signRelease(stack, stack.config.keys.verifier, holdId, body, 'capture'),
    });
    expect(late).toMatchObject({ status: 422, body: { errorReason: 'escrow_deadline' } });
    const refunded = await postRelease(stack, holdId, 'refund-expired');
    expect(refunded.body).toMatchObject({ status: 'done', alreadyDone: false });
    expect(refunded.status).toBe(200);
    await expect(stack.balanceOf(payer)).resolves.toBe(before);
    expect(await stack.escrow.eventsOf(holdId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ step: 'refund', reason: 'capture_deadline_passed' })]),
    );
  });
});

describe('a facilitator crash between submitting a release and its receipt', () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    stack = await startEscrowStack();
  });
  afterAll(() => stack?.close());

  it('loses nothing: a restarted facilitator shows the capture from the chain and answers a retry with it, moving no money', async () => {
    const { body } = await payWithOfficialClient(stack, stack.payerKeys[21]!);
    const holdId = holdIdOf(body);
    await waitForHold(stack, holdId);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);
    const release = {
      receiptDigest: receiptDigest(body.receipt),
      signature: await signRelease(stack, stack.config.keys.verifier, holdId, body, 'capture'),
    };

    // The state a crash between submit and receipt leaves: the facilitator's key sent the capture, and no facilitator
    // remembers it (the job lived in the dead process's memory).
    await createEscrowContract(stack.config, stack.config.keys.facilitator).capture(
      holdId,
      release.receiptDigest,
      release.signature,
    );
    await waitForHold(stack, holdId, 'captured');

    const restarted = await startFacilitator({
      config: stack.config,
      logger: testLogger('facilitator-restarted', stack.config),
      port: 0,
    });
    try {
      const view = (await (await fetch(`${restarted.url}/settlements/${holdId}`)).json()) as { escrow: unknown };
      const escrow = EscrowSettlementSchema.parse(view.escrow);
      expect(escrow).toMatchObject({ state: 'captured', authorize: { status: 'done' }, capture: { status: 'done' } });
      const retried = await fetch(`${restarted.url}/escrow/${holdId}/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(release),
      });
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({
        status: 'done',
        alreadyDone: true,
        transaction: escrow.capture?.transaction,
      });
      await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(
        nodeBefore + BigInt(stack.config.payments.defaultPrice),
      );
    } finally {
      await restarted.close();
    }
  });
});
