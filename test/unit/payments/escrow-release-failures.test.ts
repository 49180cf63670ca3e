// The facilitator's escrow releases tell a release that never reached the chain (retry: 503) from one the escrow
// refused (final): an RPC outage must not leave a verified payment uncaptured or a rolled-back one unrefunded.
import type { Hex } from 'viem';
import { EscrowWriteError, type EscrowContract } from '../../../src/chain/escrow';
import { createEscrowReleases } from '../../../src/payments/facilitator/escrow-releases';

const HOLD = `0x${'ab'.repeat(32)}` as Hex;

function escrowWhoseCaptureFails(error: Error): EscrowContract {
  return {
    address: '0x0000000000000000000000000000000000000e5c',
    holdOf: () => Promise.resolve({ state: 'held' } as never),
    eventsOf: () => Promise.resolve([]),
    capture: () => Promise.reject(error),
    refund: () => Promise.reject(error),
  } as unknown as EscrowContract;
}

const capture = (escrow: EscrowContract) =>
  createEscrowReleases(escrow).release({
    holdId: HOLD,
    action: 'capture',
    receiptDigest: `0x${'01'.repeat(32)}`,
    signature: '0x01',
  });

it('reports a write that never reached the chain as escrow_chain_unavailable (to retry)', async () => {
  const rpcDown = new EscrowWriteError('capture: HTTP request failed. Status: 503', false);
  await expect(capture(escrowWhoseCaptureFails(rpcDown))).resolves.toMatchObject({
    status: 'failed',
    errorReason: 'escrow_chain_unavailable',
  });
});

it('reports a reverted release as final, with the escrow’s reason', async () => {
  const reverted = new EscrowWriteError('capture reverted: deadline passed', true);
  await expect(capture(escrowWhoseCaptureFails(reverted))).resolves.toMatchObject({
    status: 'failed',
    errorReason: 'escrow_deadline',
  });
  const unknownRevert = new EscrowWriteError('capture reverted: hold frozen', true);
  await expect(capture(escrowWhoseCaptureFails(unknownRevert))).resolves.toMatchObject({
    errorReason: 'escrow_release_failed',
  });
});
