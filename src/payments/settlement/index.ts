// Public surface of settlement policy: modes, which failures to retry, and the batch committer.
export { SETTLEMENT_MODES, isRetryableSettleReason } from './modes';
export { createBatchCommitter, type BatchCommitter, type BatchEntry, type BatchOutcome } from './batch-committer';
export { BackgroundWorkStoppedError, createBackgroundQueue, type BackgroundQueue } from './background-queue';
export { createQuietGate, openGate, type QuietGate, type QuietGateOptions } from './quiet-gate';
