// The escrow sweeper's choices over a fake escrow: which holds it follows, when it refunds, what it drops.
import type { Hex } from 'viem';
import type { EscrowHold } from '../../../src/chain/escrow';
import type { EscrowReleaseResponse } from '../../../src/contracts/facilitator-http';
import { createEscrowSweeper, type EscrowSweepReads } from '../../../src/payments/facilitator/escrow-sweeper';

const TOKEN = '0x00000000000000000000000000000000000000aa';
const OTHER_TOKEN = '0x00000000000000000000000000000000000000bb';
const holdId = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex;

function buildHold(overrides: Partial<EscrowHold> = {}): EscrowHold {
  return {
    payer: '0x0000000000000000000000000000000000000001',
    receiver: '0x0000000000000000000000000000000000000002',
    token: TOKEN,
    amount: 1000n,
    captureDeadline: 100,
    state: 'held',
    verifier: '0x0000000000000000000000000000000000000003',
    ...overrides,
  };
}

function fakeChain(holds: Map<Hex, EscrowHold & { block: bigint }>, head: { number: bigint; timestamp: number }) {
  const reads: EscrowSweepReads = {
    heldBetween: async (from, to) =>
      [...holds]
        .filter(([, h]) => h.block >= from && h.block <= to)
        .map(([id, h]) => ({ holdId: id, captureDeadline: h.captureDeadline })),
    holdOf: async (id) => holds.get(id) ?? buildHold({ state: 'none' }),
    head: async () => head,
  };
  const released: Hex[] = [];
  const release = async ({ holdId: id }: { holdId: Hex }): Promise<EscrowReleaseResponse> => {
    const hold = holds.get(id)!;
    if (hold.state !== 'held')
      return hold.state === 'refunded'
        ? { id, action: 'refund', status: 'done', alreadyDone: true, transaction: '0xfeed' }
        : { id, action: 'refund', status: 'failed', alreadyDone: false, errorReason: `escrow_already_${hold.state}` };
    hold.state = 'refunded';
    released.push(id);
    return { id, action: 'refund', status: 'done', alreadyDone: false, transaction: '0xbeef' };
  };
  return { reads, release, released };
}

describe('escrow sweeper', () => {
  it('refunds held payments in its token once their deadline has passed on chain, and each only once', async () => {
    const holds = new Map([
      [holdId(1), { ...buildHold({ captureDeadline: 90 }), block: 1n }],
      [holdId(2), { ...buildHold({ captureDeadline: 200 }), block: 2n }], // not yet due
      [holdId(3), { ...buildHold({ captureDeadline: 90, token: OTHER_TOKEN }), block: 3n }], // not ours
      [holdId(4), { ...buildHold({ captureDeadline: 90, state: 'captured' }), block: 4n }], // verified in time
    ]);
    const head = { number: 10n, timestamp: 100 };
    const chain = fakeChain(holds, head);
    const sweeper = createEscrowSweeper({
      escrow: chain.reads,
      releases: { release: chain.release },
      token: TOKEN,
      intervalSeconds: 0,
    });
    const first = await sweeper.sweep();
    expect(first.map((r) => r.id)).toEqual([holdId(1)]);
    expect(sweeper.watching).toBe(1); // hold 2 waits for its deadline

    head.timestamp = 200;
    head.number = 11n;
    await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(chain.released).toEqual([holdId(1), holdId(2)]);
    expect(sweeper.watching).toBe(0);
    await expect(sweeper.sweep()).resolves.toEqual([]);
    await sweeper.stop();
  });

  it('drops a due hold that was captured meanwhile, and keeps one whose refund failed for the next pass', async () => {
    const holds = new Map([
      [holdId(1), { ...buildHold({ captureDeadline: 90 }), block: 1n }],
      [holdId(2), { ...buildHold({ captureDeadline: 90 }), block: 1n }],
    ]);
    const chain = fakeChain(holds, { number: 5n, timestamp: 100 });
    let failOnce = true;
    const release = async (request: { holdId: Hex }): Promise<EscrowReleaseResponse> => {
      if (request.holdId === holdId(1)) holds.get(holdId(1))!.state = 'captured';
      if (request.holdId === holdId(2) && failOnce) {
        failOnce = false;
        return { id: request.holdId, action: 'refund', status: 'failed', alreadyDone: false, errorReason: 'x' };
      }
      return chain.release(request);
    };
    const sweeper = createEscrowSweeper({
      escrow: chain.reads,
      releases: { release },
      token: TOKEN,
      intervalSeconds: 0,
    });
    await expect(sweeper.sweep()).resolves.toEqual([]);
    expect(sweeper.watching).toBe(1);
    expect((await sweeper.sweep()).map((r) => r.id)).toEqual([holdId(2)]);
    expect(sweeper.watching).toBe(0);
  });
});
