// Public surface of retry: exponential backoff within attempts, a deadline or an abort signal.
export { isRetryableError, retryThrowing, retryWithBackoff, sleep, type Attempt, type RetryOptions } from './backoff';
