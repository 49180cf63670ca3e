// The fetch the engine's own processes call each other and the chain with (JSON over HTTP/1.1): the same contract as
// the global fetch, on undici's request API over one keep-alive pool per process. Node 20's fetch builds a WHATWG
// request, streams and a response per call: about 0.95 ms of CPU a JSON-RPC call to anvil on this machine, against
// 0.3 ms here (README "Speed-ups"). A decision makes some thirty of these calls, most of them on the verifiable path.
import { Agent, interceptors, request, type Dispatcher } from 'undici';

// Statuses whose response has no body (fetch spec): a Response cannot be built with one.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

let sharedPool: Dispatcher | undefined;
function pool(): Dispatcher {
  // Follows redirects as fetch does (`redirect: 'follow'`, at most 20).
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
  const headers = plainHeaders(init?.headers);
  if (typeof body === 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'text/plain;charset=UTF-8'; // what fetch sends with a string body
  return { url, method: (init?.method ?? 'GET').toUpperCase(), headers, body: body ?? undefined };
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

async function send(target: Sendable, signal: AbortSignal | undefined): Promise<Response> {
  try {
    const answer = await request(target.url, {
      method: target.method as Dispatcher.HttpMethod,
      headers: target.headers,
      body: target.body,
      signal,
      dispatcher: pool(),
    });
    const body = NULL_BODY_STATUSES.has(answer.statusCode) ? null : await answer.body.arrayBuffer();
    if (body === null) await answer.body.dump();
    return new Response(body, { status: answer.statusCode, headers: responseHeaders(answer.headers) });
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
