// The fetch the engine's own processes call each other and the chain with (JSON over HTTP/1.1): the same contract as
// the global fetch, on undici's request API over one keep-alive pool per process. Node 20's fetch builds WHATWG
// request, stream and response objects per call, which is most of its CPU on small JSON calls (README "Speed-ups"
// and the payments bench give the figures). A decision makes some thirty such calls, most on the verifiable path.
import { Agent, interceptors, request, type Dispatcher } from 'undici';

// Statuses whose response has no body (fetch spec), and the range a Response can carry.
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const RESPONSE_STATUS = { min: 200, max: 599 };
/** Bodies up to this size are read at once (one copy, no stream); larger ones stream, as fetch's do, so that a
 *  caller's own limit (viem's 10 MiB `maxResponseBodySize`) stops them early instead of after all of it arrived. */
const BUFFERED_BODY_BYTES = 1 << 20;
/** fetch sends `user-agent: node` (some hosted RPC gateways refuse requests without one). No compression is asked
 *  for (`identity`): compressing small JSON costs both sides more CPU than it saves on a local network, and undici's
 *  decoding interceptor is still experimental (it warns on every process start). */
const DEFAULT_HEADERS = { 'user-agent': 'proofpath', accept: '*/*', 'accept-encoding': 'identity' };

let sharedPool: Dispatcher | undefined;
function pool(): Dispatcher {
  // Redirects followed as fetch does (`redirect: 'follow'`, at most 20, then an error; a redirect to the same URL
  // fails at once).
  sharedPool ??= new Agent({ keepAliveTimeout: 10_000 }).compose(interceptors.redirect({ maxRedirections: 20 }));
  return sharedPool;
}

type Sendable = { url: string; method: string; headers: Record<string, string>; body?: string | Uint8Array };

/** What this fetch sends itself; anything else (streams, forms, manual redirects...) goes to the global fetch. */
function sendableOf(url: string, init: RequestInit | undefined): Sendable | undefined {
  if (init?.redirect !== undefined && init.redirect !== 'follow') return undefined;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))
    return undefined;
  const given = plainHeaders(init?.headers);
  const named = new Set(Object.keys(given).map((h) => h.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(DEFAULT_HEADERS)) if (!named.has(name)) headers[name] = value;
  if (typeof body === 'string' && !named.has('content-type')) headers['content-type'] = 'text/plain;charset=UTF-8';
  return {
    url,
    method: (init?.method ?? 'GET').toUpperCase(),
    headers: { ...headers, ...given },
    body: body ?? undefined,
  };
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return { ...(headers as Record<string, string>) };
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, one]);
  }
  return pairs;
}

/** The whole body when it is small; past BUFFERED_BODY_BYTES, a stream that starts with what was read. */
async function bodyOf(body: Dispatcher.ResponseData['body']): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await reader.next();
    if (next.done) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    chunks.push(next.value);
    size += next.value.length;
    if (size > BUFFERED_BODY_BYTES) break;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks.splice(0)) controller.enqueue(chunk);
    },
    async pull(controller) {
      const next = await reader.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      body.destroy();
    },
  });
}

async function send(target: Sendable, signal: AbortSignal | undefined): Promise<Response> {
  try {
    const answer = await request(target.url, {
      method: target.method as Dispatcher.HttpMethod,
      headers: target.headers,
      body: target.body,
      signal,
      dispatcher: pool(),
      // Read per request by undici's redirect handler (not an interceptor option): past 20, fail as fetch does.
      throwOnMaxRedirect: true,
    } as Parameters<typeof request>[1]);
    const { statusCode: status, statusText } = answer;
    if (status < RESPONSE_STATUS.min || status > RESPONSE_STATUS.max) {
      await answer.body.dump();
      // A Response cannot carry it; no service of ours answers one. Failing beats inventing a status.
      throw new Error(`status ${status} is outside ${RESPONSE_STATUS.min}-${RESPONSE_STATUS.max}`);
    }
    const bodiless = NULL_BODY_STATUSES.has(status) || target.method === 'HEAD';
    const body = bodiless ? null : await bodyOf(answer.body);
    if (bodiless) await answer.body.dump();
    return new Response(body, { status, statusText, headers: responseHeaders(answer.headers) });
  } catch (error) {
    // Fail as fetch fails: the signal's reason when aborted, otherwise a TypeError whose cause is the network error
    // (callers and viem classify connection failures by that shape).
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

/** A drop-in `fetch` for request/response JSON calls; falls back to the global fetch for what it does not cover. */
export const leanFetch: typeof fetch = async (input, init) => {
  if (input instanceof Request) {
    // x402's fetch wrapper hands over Request objects; their body is read once here.
    const body = init?.body ?? (input.body ? new Uint8Array(await input.arrayBuffer()) : undefined);
    const merged: RequestInit = {
      method: init?.method ?? input.method,
      headers: init?.headers ?? input.headers,
      body,
      redirect: init?.redirect ?? input.redirect,
      signal: init?.signal ?? input.signal,
    };
    const target = sendableOf(input.url, merged);
    return target ? send(target, merged.signal ?? undefined) : fetch(input.url, merged);
  }
  const url = input instanceof URL ? input.href : input;
  const target = sendableOf(url, init);
  return target ? send(target, init?.signal ?? undefined) : fetch(input, init);
};

/** Closes the pool's idle connections (a process that stops should not wait on keep-alive sockets). */
export async function closeLeanFetch(): Promise<void> {
  const closing = sharedPool;
  sharedPool = undefined;
  await closing?.close();
}
