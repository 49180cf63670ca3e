// Public surface of settlement policy: modes, retries, and the batch committer.
export { SETTLEMENT_MODES, isRetryableSettleReason } from './modes';
export { retryWithBackoff, sleep, type Attempt, type RetryOptions } from './retry';
export { createBatchCommitter, type BatchCommitter, type BatchEntry, type BatchOutcome } from './batch-committer';
export { createBackgroundQueue, type BackgroundQueue } from './background-queue';
