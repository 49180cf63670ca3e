// Turns a zod schema plus a rule into an express handler: parse (400 with issues), fingerprint, run through the store's
// single writer, answer. Path ids are merged into the request so rules see one object, as the ports do.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ListByDecisionQuerySchema, type ListByDecisionQuery } from '../contracts/back-office';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../contracts/canonical-json';
import type { Outcome } from './outcome';
import type { BackOfficeState } from './state';
import type { BackOfficeStore } from './store';

/** RFC draft "The Idempotency-Key HTTP Header Field": an opaque string; we bound its size and charset. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

type Issue = { path: string; message: string };

export function sendError(res: Response, status: number, code: string, message: string, issues?: Issue[]): void {
  res.status(status).json({ error: { code, message, ...(issues ? { issues } : {}) } });
}

export function mutation<S extends z.ZodType<{ decisionId: string }>>(
  store: BackOfficeStore,
  schema: S,
  decide: (state: BackOfficeState, request: z.output<S>, at: string) => Outcome,
  pathId?: string,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      return sendError(res, 400, 'invalid_request', 'Idempotency-Key must be 1-255 visible ASCII characters', [
        { path: 'headers.idempotency-key', message: 'invalid' },
      ]);
    }
    const merged = mergePathId(req, pathId);
    if ('issue' in merged)
      return sendError(res, 400, 'invalid_request', 'request does not match the schema', [merged.issue]);
    const parsed = schema.safeParse(merged.body);
    if (!parsed.success)
      return sendError(res, 400, 'invalid_request', 'request does not match the schema', issuesOf(parsed.error));
    const request = parsed.data;
    const reply = await store.mutate({
      ...(key === undefined ? {} : { idempotencyKey: key }),
      fingerprint: fingerprintOf(`${req.method} ${req.baseUrl}${req.path}`, request),
      decisionId: request.decisionId,
      decide: (state, at) => decide(state, request, at),
    });
    res.status(reply.status).json(reply.body);
  };
}

export function listing(
  store: BackOfficeStore,
  view: (state: BackOfficeState, query: ListByDecisionQuery) => unknown,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const parsed = ListByDecisionQuerySchema.safeParse(req.query);
    if (!parsed.success)
      return sendError(res, 400, 'invalid_request', 'query does not match the schema', issuesOf(parsed.error));
    try {
      res.json(await store.read((state) => view(state, parsed.data)));
    } catch (error) {
      // The store refuses reads after a failed journal write: memory may hold an effect the disk does not.
      sendError(
        res,
        503,
        'store_unavailable',
        `journal write failed (${error instanceof Error ? error.message : String(error)}); restart the service`,
      );
    }
  };
}

/** Records of one decision (or all), in creation order (Map keeps insertion order, replay keeps journal order). */
export function byDecision<T extends { decisionId: string }>(records: Map<string, T>, query: ListByDecisionQuery): T[] {
  return [...records.values()].filter((r) => query.decisionId === undefined || r.decisionId === query.decisionId);
}

function mergePathId(req: Request, pathId: string | undefined): { body: unknown } | { issue: Issue } {
  const body: unknown = req.body;
  if (pathId === undefined) return { body };
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
    return { issue: { path: '', message: 'body must be a JSON object' } };
  const fields = (body ?? {}) as Record<string, unknown>;
  const id = String(req.params.id);
  if (fields[pathId] !== undefined && fields[pathId] !== id)
    return { issue: { path: pathId, message: `differs from the id in the path (${id})` } };
  return { body: { ...fields, [pathId]: id } };
}

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Same method, path and parsed body (keys sorted, defaults applied) give the same fingerprint. */
function fingerprintOf(route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${route}\n${canonicalJson(body)}`)
    .digest('hex');
}
