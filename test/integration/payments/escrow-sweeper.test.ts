// The facilitator's escrow sweeper on anvil: a payment whose verdict never came is refunded after its capture deadline
// without anyone asking; a facilitator started after the deadline finds it from the escrow's events; a captured payment
// is left alone; and sweeping again moves nothing.
import { privateKeyToAccount } from 'viem/accounts';
import { EscrowSettlementSchema } from '../../../src/contracts';
import { startFacilitator } from '../../../src/payments';
import { receiptDigest } from '../../../src/verification';
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

describe('escrow sweeper', () => {
  let stack: EscrowStack;
  beforeAll(async () => {
    // The stack's own facilitator does not sweep: the one started later, after the deadline, must find the holds alone.
    stack = await startEscrowStack({
      PAYMENT_ESCROW_CAPTURE_WINDOW_SECONDS: '12',
      PAYMENT_MAX_TIMEOUT_SECONDS: '8',
      PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS: '0',
    });
  });
  afterAll(() => stack?.close());

  it('refunds an expired hold found from chain events after a restart, leaves a captured one, and never refunds twice', async () => {
    const [abandonedKey, verifiedKey] = [stack.payerKeys[24]!, stack.payerKeys[25]!];
    const abandonedPayer = privateKeyToAccount(abandonedKey).address;
    const abandonedBefore = await stack.balanceOf(abandonedPayer);
    const nodeBefore = await stack.balanceOf(stack.nodeAddress);

    const abandoned = await payWithOfficialClient(stack, abandonedKey);
    const verified = await payWithOfficialClient(stack, verifiedKey);
    const [abandonedHold, verifiedHold] = [holdIdOf(abandoned.body), holdIdOf(verified.body)];
    await waitForHold(stack, abandonedHold);
    await waitForHold(stack, verifiedHold);
    const captured = await postRelease(stack, verifiedHold, 'capture', {
      receiptDigest: receiptDigest(verified.body.receipt),
      signature: await signRelease(stack, stack.config.keys.verifier, verifiedHold, verified.body, 'capture'),
    });
    expect(captured.status).toBe(200);

    // Past the deadline on chain (a quiet anvil's clock moves with blocks), then a facilitator that never saw either hold.
    const { captureDeadline } = await stack.escrow.holdOf(abandonedHold);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, captureDeadline * 1000 - Date.now()) + 1_500));
    await mineBlock(stack);
    const sweeping = await startFacilitator({
      config: stack.configWith({ PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS: '1' }),
      logger: testLogger('facilitator-sweeping', stack.config),
      port: 0,
    });
    try {
      expect(sweeping.escrowSweeper).toBeDefined();
      await waitForHold(stack, abandonedHold, 'refunded', 20_000);

      // On chain: the abandoned payer has every token back, refunded by the facilitator for the deadline; the verified
      // payment stayed with the node.
      await expect(stack.balanceOf(abandonedPayer)).resolves.toBe(abandonedBefore);
      await expect(stack.balanceOf(stack.nodeAddress)).resolves.toBe(
        nodeBefore + BigInt(stack.config.payments.defaultPrice),
      );
      await expect(stack.escrow.holdOf(verifiedHold)).resolves.toMatchObject({ state: 'captured' });
      const refund = (await stack.escrow.eventsOf(abandonedHold)).filter((e) => e.step === 'refund');
      expect(refund).toEqual([expect.objectContaining({ by: sweeping.address, reason: 'capture_deadline_passed' })]);
      const view = (await (await fetch(`${sweeping.url}/settlements/${abandonedHold}`)).json()) as { escrow: unknown };
      expect(EscrowSettlementSchema.parse(view.escrow)).toMatchObject({
        state: 'refunded',
        refund: { status: 'done', transaction: refund[0]!.transaction },
      });

      // Sweeping again, even many times at once, finds nothing left to move.
      await mineBlock(stack);
      const again = await Promise.all(Array.from({ length: 5 }, () => sweeping.escrowSweeper!.sweep()));
      expect(again.flat()).toEqual([]);
      expect(sweeping.escrowSweeper!.watching).toBe(0);
      expect((await stack.escrow.eventsOf(abandonedHold)).filter((e) => e.step === 'refund')).toHaveLength(1);
      await expect(stack.balanceOf(abandonedPayer)).resolves.toBe(abandonedBefore);
    } finally {
      await sweeping.close();
    }
  });
});
