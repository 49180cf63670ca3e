// Public surface of retry: exponential backoff within attempts, a deadline or an abort signal; which HTTP answers are
// worth retrying.
export { isRetryableError, retryThrowing, retryWithBackoff, sleep, type Attempt, type RetryOptions } from './backoff';
export { isTransientHttpStatus } from './transient-http-status';
