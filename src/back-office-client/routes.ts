// A back-office client as a table of its port's operations: each POST carries an Idempotency-Key derived from the
// operation's name and the request, and the request's `:name` fields travel in the path, as the service's routes expect.
import type { z } from 'zod';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../contracts/canonical-json';
import type { BackOfficeTransport } from './transport';

/** `idempotencyKey` overrides the key derived from the operation and the request. */
type CallOptions = { idempotencyKey?: string };

/** The `:name` segments of a path, e.g. 'poId' for '/erp/purchase-orders/:poId/confirm'. */
type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** One operation, bound to its name and the transport when the client is built. */
export type ClientRoute<F> = (operation: string, http: BackOfficeTransport) => F;

type ClientOf<R> = { [K in keyof R]: R[K] extends ClientRoute<infer F> ? F : never };

/** Builds the port: every table key becomes a method of that name (and the operation in its Idempotency-Keys). */
export function createBackOfficeClient<R extends Record<string, ClientRoute<unknown>>>(
  http: BackOfficeTransport,
  routes: R,
): ClientOf<R> {
  return Object.fromEntries(
    Object.entries(routes).map(([operation, route]) => [operation, route(operation, http)]),
  ) as ClientOf<R>;
}

/** A mutation: POST to `path` with the request's `:name` fields filled in and the rest as the body. */
export function postRoute<P extends string, S extends z.ZodType>(
  path: P,
  schema: S,
): ClientRoute<
  (request: { decisionId: string } & Record<PathParams<P>, string>, options?: CallOptions) => Promise<z.output<S>>
> {
  return (operation, http) => (request, given) => {
    const body: Record<string, unknown> = { ...request };
    const filled = path.replace(/:(\w+)/g, (_, name: string) => {
      delete body[name];
      return encodeURIComponent(String((request as Record<string, unknown>)[name]));
    });
    // The key covers the whole request, path fields included: confirming another order is another key.
    return http.post(
      filled,
      body,
      schema,
      given?.idempotencyKey ?? deriveIdempotencyKey(http.service, operation, request),
    );
  };
}

/** A listing: GET `path`, optionally of one decision, answering the list found under `field`. */
export function getRoute<S extends z.ZodType, K extends keyof z.output<S>>(
  path: string,
  schema: S,
  field: K,
): ClientRoute<(query?: { decisionId?: string }) => Promise<z.output<S>[K]>> {
  return (_operation, http) => async (query) => {
    const only = query?.decisionId === undefined ? '' : `?decisionId=${encodeURIComponent(query.decisionId)}`;
    return (await http.get(`${path}${only}`, schema))[field];
  };
}

/**
 * The key a client sends when the caller gives none: operation, decision and a hash of the request. The same request
 * always gets the same key (a retried activity replays the first answer); a different request gets another key and
 * meets the service's per-decision rules (e.g. `idempotency_conflict`) instead of a key-reuse refusal.
 */
export function deriveIdempotencyKey(
  service: 'erp' | 'tms',
  operation: string,
  request: { decisionId: string },
): string {
  const digest = createHash('sha256').update(canonicalJson(request)).digest('hex').slice(0, 32);
  const readable = `${service}:${operation}:${encodeURIComponent(request.decisionId)}:${digest}`;
  return readable.length <= 255 ? readable : `${service}:${operation}:${digest}`;
}
