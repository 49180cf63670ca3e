// What each settlement mode means for the node: whether it settles before answering, and how receipts are committed.
import type { SettlementMode } from '../../contracts/receipt';

export const SETTLEMENT_MODES: Record<
  SettlementMode,
  { settleBeforeAnswer: boolean; commitment: 'receipt' | 'batch'; summary: string }
> = {
  individual: {
    settleBeforeAnswer: true,
    commitment: 'receipt',
    summary: 'settle on chain, commit the receipt digest, then answer',
  },
  deferred: {
    settleBeforeAnswer: false,
    commitment: 'receipt',
    summary: 'answer once verified; settle and commit right after (replay-guarded)',
  },
  batch: {
    settleBeforeAnswer: false,
    commitment: 'batch',
    summary: 'answer once verified; settle right after; commit receipts as Merkle roots every N or T',
  },
  escrow: {
    settleBeforeAnswer: false,
    commitment: 'receipt',
    summary: 'answer once verified; authorize into escrow right after; the verifier captures or refunds',
  },
  channel: {
    // A deposit lands before the answer (the next voucher needs the balance); a voucher moves no money at all.
    settleBeforeAnswer: false,
    commitment: 'batch',
    summary:
      'one deposit, then a cumulative voucher per inference; verified charges claimed in batches, rolled-back ones refunded',
  },
};

/** Facilitator outcomes worth retrying: transient chain or transport trouble, and balances that may be topped up. */
const RETRYABLE_SETTLE_REASONS = new Set([
  'settlement_pending',
  'unexpected_settle_error',
  'invalid_exact_evm_transaction_failed',
  'invalid_exact_evm_insufficient_balance',
  'invalid_transaction_state',
  'invalid_auth_capture_evm_transaction_failed',
  'invalid_batch_settlement_evm_deposit_transaction_failed',
  'invalid_batch_settlement_evm_rpc_read_failed',
]);

export function isRetryableSettleReason(reason: string | undefined): boolean {
  return reason === undefined || RETRYABLE_SETTLE_REASONS.has(reason);
}
