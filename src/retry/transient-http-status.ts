// Which HTTP answers mean "ask again later": one rule for every client of an engine service (node, verifier,
// facilitator, back office), so a status one caller retries is not final for another.

/**
 * 408 (the server timed the request out), 429 (rate limited; our servers add Retry-After), and the server errors a
 * restart or a proxy in front gives (500, 502 bad gateway, 503 unavailable, 504 gateway timeout). Every other status,
 * 501 and 505 included (not implemented, unsupported HTTP version), is repeated identically on a retry.
 */
const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** True when an HTTP status says the server is only away (restarting, overloaded, behind a failing proxy). */
export function isTransientHttpStatus(status: number): boolean {
  return TRANSIENT_HTTP_STATUSES.has(status);
}
