// A token bucket per client address: `burst` requests at once, then `perSecond` sustained. Pure (the clock is passed
// in), so it is unit-tested without waiting; idle buckets are dropped so a scan from many addresses cannot grow it.

export type RateLimiter = {
  /** Takes one token for `client`; when none is left, says how long until one is. */
  take(client: string, nowMs?: number): { allowed: true } | { allowed: false; retryAfterMs: number };
  size(): number;
};

export function createRateLimiter(options: { perSecond: number; burst: number; maxClients?: number }): RateLimiter {
  const { perSecond, burst } = options;
  const maxClients = options.maxClients ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, now: number) => {
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
  };
  return {
    take(client, now = Date.now()) {
      if (perSecond <= 0) return { allowed: true };
      let bucket = buckets.get(client);
      if (!bucket) {
        if (buckets.size >= maxClients) evictFull(buckets, now, refill, burst, maxClients);
        bucket = { tokens: burst, at: now };
        buckets.set(client, bucket);
      } else refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / perSecond) * 1000) };
    },
    size: () => buckets.size,
  };
}

/** Drops the buckets that have refilled completely (they remember nothing); if none has, the longest-held one. */
function evictFull(
  buckets: Map<string, { tokens: number; at: number }>,
  now: number,
  refill: (bucket: { tokens: number; at: number }, now: number) => void,
  burst: number,
  maxClients: number,
): void {
  for (const [client, bucket] of buckets) {
    refill(bucket, now);
    if (bucket.tokens >= burst) buckets.delete(client);
  }
  if (buckets.size >= maxClients) {
    const oldest = buckets.keys().next();
    if (!oldest.done) buckets.delete(oldest.value);
  }
}
