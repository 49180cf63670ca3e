// Capture and refund jobs for escrowed payments, on the settle jobs' model: one job per (hold, action); concurrent or
// repeated requests share one attempt; the chain is the record. Before submitting, and again after any failure, the
// hold is read back: money that already moved this way is answered with the transaction that moved it (found in the
// escrow's events), so a retried release, or one repeated after a facilitator crash between submit and receipt, is a
// no-op. The escrow itself allows capture or refund once, so the chain enforces what these jobs only economise.
import type { Hex } from 'viem';
import { ChainClientReadOnlyError } from '../../chain';
import { EscrowWriteError, type EscrowContract, type EscrowEvent, type EscrowHold } from '../../chain/escrow';
import type { EscrowReleaseResponse, EscrowSettlement, EscrowStep } from '../../contracts/facilitator-http';
import type { Logger } from '../../log';
import { isRetryableError } from '../../retry';

export type EscrowAction = 'capture' | 'refund';
export type ReleaseRequest = {
  holdId: Hex;
  action: EscrowAction;
  receiptDigest: Hex;
  signature?: Hex;
  reason?: string;
};

export type EscrowReleases = {
  /** With `signature`: the verifier's verdict, relayed. A refund without one is the after-deadline refund anyone may make. */
  release(request: ReleaseRequest): Promise<EscrowReleaseResponse>;
  /** The hold and its steps, rebuilt from the chain when this process has no memory of it (after a restart). */
  view(holdId: Hex): Promise<EscrowSettlement | undefined>;
};

const DONE_STATE: Record<EscrowAction, EscrowHold['state']> = { capture: 'captured', refund: 'refunded' };
const now = () => new Date().toISOString();

function stepFromEvent(event: EscrowEvent): EscrowStep {
  return {
    status: 'done',
    transaction: event.transaction,
    ...(event.by ? { by: event.by } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    attempts: 0,
    updatedAt: now(),
  };
}

export function createEscrowReleases(escrow: EscrowContract, logger?: Logger): EscrowReleases {
  const steps = new Map<string, EscrowStep>();
  const inFlight = new Map<string, Promise<EscrowReleaseResponse>>();

  async function movedAlready(holdId: Hex, action: EscrowAction): Promise<EscrowReleaseResponse | undefined> {
    const hold = await escrow.holdOf(holdId);
    if (hold.state === DONE_STATE[action]) {
      const event = (await escrow.eventsOf(holdId)).find((e) => e.step === action);
      const step = event ? stepFromEvent(event) : { status: 'done' as const, attempts: 0, updatedAt: now() };
      steps.set(`${holdId}:${action}`, { ...step, attempts: steps.get(`${holdId}:${action}`)?.attempts ?? 0 });
      return { id: holdId, action, status: 'done', transaction: step.transaction, alreadyDone: true };
    }
    if (hold.state === 'captured' || hold.state === 'refunded') {
      return {
        id: holdId,
        action,
        status: 'failed',
        alreadyDone: false,
        errorReason: `escrow_already_${hold.state}`,
        message: `the payment was already ${hold.state}; it can move only once`,
      };
    }
    if (hold.state === 'none')
      return {
        id: holdId,
        action,
        status: 'failed',
        alreadyDone: false,
        errorReason: 'escrow_not_held',
        message: 'no payment is held under this id (not authorized yet?)',
      };
    return undefined;
  }

  async function run(request: ReleaseRequest): Promise<EscrowReleaseResponse> {
    const key = `${request.holdId}:${request.action}`;
    const earlier = await movedAlready(request.holdId, request.action);
    if (earlier) return earlier;
    const step: EscrowStep = {
      status: 'pending',
      attempts: (steps.get(key)?.attempts ?? 0) + 1,
      updatedAt: now(),
      ...(request.reason ? { reason: request.reason } : {}),
    };
    steps.set(key, step);
    try {
      const transaction =
        request.action === 'capture'
          ? await escrow.capture(request.holdId, request.receiptDigest, request.signature as Hex)
          : request.signature
            ? await escrow.refund(
                request.holdId,
                request.receiptDigest,
                request.reason ?? 'verification_failed',
                request.signature,
              )
            : await escrow.refundExpired(request.holdId);
      Object.assign(step, { status: 'done', transaction, updatedAt: now() });
      logger?.info({ holdId: request.holdId, action: request.action, transaction }, 'escrow released');
      return { id: request.holdId, action: request.action, status: 'done', transaction, alreadyDone: false };
    } catch (error) {
      // Reconcile: our transaction may have landed after all, or another relayer's did.
      const reconciled = await movedAlready(request.holdId, request.action).catch(() => undefined);
      if (reconciled?.status === 'done') return reconciled;
      const message = (error as Error).message;
      // A write that never reached the chain (RPC down, nonce race) is worth trying again: the caller gets a 503 and
      // retries. Only a revert is the escrow's answer (a chaos run lost a capture and a refund to an RPC 503 that was
      // reported as final). A facilitator without a key never will: that is final, named for whoever runs it.
      const errorReason =
        error instanceof ChainClientReadOnlyError
          ? 'escrow_facilitator_read_only'
          : error instanceof EscrowWriteError && !error.reverted && isRetryableError(error)
            ? 'escrow_chain_unavailable'
            : /verifier|signature/.test(message)
              ? 'escrow_release_not_authorized'
              : /deadline/.test(message)
                ? 'escrow_deadline'
                : 'escrow_release_failed';
      Object.assign(step, { status: 'failed', errorReason, updatedAt: now() });
      return (
        reconciled ?? {
          id: request.holdId,
          action: request.action,
          status: 'failed',
          alreadyDone: false,
          errorReason,
          message,
        }
      );
    }
  }

  return {
    release(request) {
      const key = `${request.holdId}:${request.action}`;
      const running = inFlight.get(key);
      if (running) return running.then((r) => (r.status === 'done' ? { ...r, alreadyDone: true } : r));
      const promise = run(request).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    async view(holdId) {
      const hold = await escrow.holdOf(holdId);
      if (hold.state === 'none') return undefined;
      const events = await escrow.eventsOf(holdId);
      const stepOf = (action: 'authorize' | EscrowAction): EscrowStep | undefined => {
        const event = events.find((e) => e.step === action);
        const remembered = action === 'authorize' ? undefined : steps.get(`${holdId}:${action}`);
        if (event) return { ...stepFromEvent(event), attempts: remembered?.attempts ?? 0 };
        return remembered;
      };
      return {
        id: holdId,
        state: hold.state,
        payer: hold.payer,
        receiver: hold.receiver,
        amount: hold.amount.toString(),
        captureDeadline: hold.captureDeadline,
        authorize: stepOf('authorize'),
        capture: stepOf('capture'),
        refund: stepOf('refund'),
      };
    },
  };
}
