// The facilitator's escrow sweeper: refunds (refundExpired) every payment in the engine's token still held past its
// capture deadline, so no payer waits on a worker that is gone. Which holds are open is rebuilt from the escrow's
// PaymentHeld events on start (a restarted facilitator forgets nothing) and followed block range by block range after;
// each refund runs as an escrow release job (escrow-releases.ts), so a hold a worker or another relayer released first
// is answered from the chain and dropped, and one refund never moves money twice.
import type { Hex } from 'viem';
import type { EscrowContract, EscrowHold } from '../../chain/escrow';
import type { EscrowReleaseResponse } from '../../contracts/facilitator-http';
import type { Logger } from '../../log';
import type { EscrowReleases } from './escrow-releases';

export type EscrowSweepReads = Pick<EscrowContract, 'heldBetween' | 'holdOf' | 'head'>;

export type EscrowSweeper = {
  /** One pass: follow new holds, refund the expired ones. Returns the refunds this pass made or found made. */
  sweep(): Promise<EscrowReleaseResponse[]>;
  /** Holds this sweeper is watching (held in its token, deadline not yet handled). */
  readonly watching: number;
  stop(): Promise<void>;
};

/** Blocks read per getLogs call: public RPC providers refuse wide ranges. */
const BLOCK_RANGE = 5_000n;

export function createEscrowSweeper(deps: {
  escrow: EscrowSweepReads;
  releases: Pick<EscrowReleases, 'release'>;
  /** Only holds in this token: other tokens' holds are other facilitators' business (and their gas). */
  token: `0x${string}`;
  intervalSeconds: number;
  fromBlock?: bigint;
  logger?: Logger;
}): EscrowSweeper {
  const { escrow, releases, logger } = deps;
  const token = deps.token.toLowerCase();
  const open = new Map<Hex, number>(); // holdId → captureDeadline
  let nextBlock = deps.fromBlock ?? 0n;
  let running: Promise<EscrowReleaseResponse[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function follow(head: bigint): Promise<void> {
    while (nextBlock <= head) {
      const to = nextBlock + BLOCK_RANGE - 1n < head ? nextBlock + BLOCK_RANGE - 1n : head;
      for (const { holdId } of await escrow.heldBetween(nextBlock, to)) {
        const hold: EscrowHold = await escrow.holdOf(holdId);
        if (hold.state === 'held' && hold.token.toLowerCase() === token) open.set(holdId, hold.captureDeadline);
      }
      nextBlock = to + 1n;
    }
  }

  async function pass(): Promise<EscrowReleaseResponse[]> {
    const head = await escrow.head();
    await follow(head.number);
    const done: EscrowReleaseResponse[] = [];
    // The escrow allows refundExpired from the deadline on (block.timestamp >= captureDeadline).
    const due = [...open].filter(([, deadline]) => deadline <= head.timestamp).map(([holdId]) => holdId);
    for (const holdId of due) {
      if (stopped) break;
      const result = await releases.release({ holdId, action: 'refund', receiptDigest: `0x${'0'.repeat(64)}` });
      // Refunded now or before, or captured in time: nothing left to do for this hold. Anything else: next pass.
      if (result.status === 'done' || result.errorReason?.startsWith('escrow_already_')) open.delete(holdId);
      if (result.status === 'done') done.push(result);
      logger?.info(
        { holdId, status: result.status, transaction: result.transaction, reason: result.errorReason },
        'escrow sweep',
      );
    }
    return done;
  }

  const sweep = () => {
    // One pass at a time: a timer tick during a slow pass shares it.
    running ??= pass().finally(() => (running = undefined));
    return running;
  };

  function schedule(delayMs: number): void {
    if (stopped || deps.intervalSeconds <= 0) return;
    timer = setTimeout(() => {
      sweep()
        .catch((error: unknown) => logger?.warn({ err: error }, 'escrow sweep failed; next pass retries'))
        .finally(() => schedule(deps.intervalSeconds * 1000));
    }, delayMs);
    timer.unref();
  }
  // The first pass right away: after a restart, holds that expired while no facilitator ran are refunded first.
  schedule(0);

  return {
    sweep,
    get watching() {
      return open.size;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
