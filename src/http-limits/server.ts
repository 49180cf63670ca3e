// HTTP plumbing that enforces the limits: a server with bounded heads and slow-client timeouts, a 429 gate per client
// address, and a body reader that stops at the size limit. Refusals are JSON `{reason, message}` like every other.
import http from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { HttpLimits } from './limits';
import { createRateLimiter, type RateLimiter } from './rate-limiter';

/** Thrown by readLimitedBody; maps to 413 `body_too_large`. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'body_too_large';
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
  }
}

/**
 * A server whose clients must send their head within headersTimeoutMs and their whole request within requestTimeoutMs
 * (Node answers 408 and closes: slow-loris), with heads of at most maxHeaderBytes (431).
 */
export function createLimitedServer(limits: HttpLimits, handler: http.RequestListener): http.Server {
  const requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout,
      // Node checks the timeouts on this interval (30 s by default), which would let a slow client hold on far longer.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler,
  );
}

export function rateLimiterOf(limits: Pick<HttpLimits, 'rateLimitPerSecond' | 'rateLimitBurst'>): RateLimiter {
  return createRateLimiter({ perSecond: limits.rateLimitPerSecond, burst: limits.rateLimitBurst });
}

/** Answers 429 `rate_limited` (with Retry-After) when the client is over its rate; returns whether it did. */
export function refuseOverRate(limiter: RateLimiter, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const taken = limiter.take(req.socket.remoteAddress ?? 'unknown');
  if (taken.allowed) return false;
  res.writeHead(429, {
    'content-type': 'application/json',
    'retry-after': String(Math.ceil(taken.retryAfterMs / 1000)),
  });
  res.end(
    JSON.stringify({
      reason: 'rate_limited',
      message: `too many requests from this address; retry in ${taken.retryAfterMs} ms`,
    }),
  );
  return true;
}

export function rateLimitMiddleware(limiter: RateLimiter) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!refuseOverRate(limiter, req, res)) next();
  };
}

/** The JSON answer to express.json()'s `entity.too.large`, or undefined for other errors. */
export function bodyTooLargeAnswer(
  error: Error & { type?: string; limit?: number },
): { status: 413; body: { reason: string; message: string } } | undefined {
  if (error.type !== 'entity.too.large' && !(error instanceof BodyTooLargeError)) return undefined;
  const limit = error instanceof BodyTooLargeError ? error.limitBytes : error.limit;
  return {
    status: 413,
    body: { reason: 'body_too_large', message: `the request body is larger than ${limit ?? 'the limit of'} bytes` },
  };
}

/** Reads a body of at most maxBytes; refuses a larger declared Content-Length before reading any of it. */
export async function readLimitedBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
