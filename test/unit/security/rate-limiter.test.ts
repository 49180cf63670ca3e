// The per-address token bucket: bursts up to the limit, then the sustained rate; addresses do not share a bucket.
import fc from 'fast-check';
import { createRateLimiter } from '../../../src/http-limits';

describe('createRateLimiter', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 });
    const results = [0, 0, 0, 0].map(() => limiter.take('10.0.0.1', 1_000));
    expect(results.slice(0, 3).every((r) => r.allowed)).toBe(true);
    expect(results[3]).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(limiter.take('10.0.0.1', 1_500).allowed).toBe(true);
  });

  it('keeps one bucket per address', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('is off at a rate of 0', () => {
    const limiter = createRateLimiter({ perSecond: 0, burst: 1 });
    expect([1, 2, 3].map(() => limiter.take('a', 0).allowed)).toEqual([true, true, true]);
  });

  it('never holds more buckets than its bound, whatever addresses arrive', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.ipV4(), fc.nat(10_000)), { maxLength: 300 }), (requests) => {
        const limiter = createRateLimiter({ perSecond: 5, burst: 5, maxClients: 50 });
        for (const [address, at] of requests) limiter.take(address, at);
        return limiter.size() <= 50;
      }),
    );
  });

  it('never allows more than burst + rate x elapsed requests from one address', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5_000), { minLength: 1, maxLength: 200 }), (offsets) => {
        const times = [...offsets].sort((a, b) => a - b);
        const limiter = createRateLimiter({ perSecond: 10, burst: 4 });
        const allowed = times.filter((t) => limiter.take('x', t).allowed).length;
        return allowed <= 4 + Math.floor(((times[times.length - 1]! - times[0]!) / 1000) * 10) + 1;
      }),
    );
  });
});
