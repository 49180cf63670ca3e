// Public surface of the HTTP request limits: body and head sizes, slow-client timeouts, per-address rate limits.
export { httpLimitsOf, type HttpLimits, type LimitedService } from './limits';
export { createRateLimiter, type RateLimiter } from './rate-limiter';
export {
  BodyTooLargeError,
  bodyTooLargeAnswer,
  createLimitedServer,
  rateLimitMiddleware,
  rateLimiterOf,
  readLimitedBody,
  refuseOverRate,
} from './server';
