// The lean fetch keeps the global fetch's contract for what the engine sends: JSON in and out, headers in every shape,
// Request objects (x402's fetch wrapper), bodiless statuses, redirects, and failures shaped as fetch shapes them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeLeanFetch, leanFetch } from '../../../src/http-client';

type Seen = { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };

async function recordingServer(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/moved') return void res.writeHead(302, { location: '/target' }).end();
      if (req.url === '/cookies') return void res.writeHead(200, { 'set-cookie': ['a=1', 'b=2'] }).end('ok');
      if (req.url === '/slow') {
        const late = setTimeout(() => res.writeHead(200).end('late'), 2_000);
        return void res.on('close', () => clearTimeout(late));
      }
      const hop = /^\/hop\/(\d+)$/.exec(req.url ?? '');
      if (hop) return void res.writeHead(302, { location: `/hop/${Number(hop[1]) + 1}` }).end();
      if (req.url === '/large') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        for (let i = 0; i < 48; i++) res.write(chunk); // 3 MiB, chunked
        return void res.end();
      }
      if (req.url === '/teapot') return void res.writeHead(418, 'Short And Stout').end('{}');
      if (req.url === '/fail') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"e":1}');
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-answer': 'yes' })
        .end(JSON.stringify({ path: req.url, echoed: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: Awaited<ReturnType<typeof recordingServer>>;
beforeEach(async () => {
  server = await recordingServer();
});
afterEach(async () => {
  await server.close();
});
afterAll(() => closeLeanFetch());

it('posts a JSON body and answers a Response with status, headers and the parsed body', async () => {
  const response = await leanFetch(`${server.url}/rpc`, {
    method: 'post',
    headers: { 'content-type': 'application/json', 'x-key': 'k1' },
    body: JSON.stringify({ id: 1 }),
  });
  expect(response).toBeInstanceOf(Response);
  expect(response.ok).toBe(true);
  expect(response.status).toBe(200);
  expect(response.headers.get('x-answer')).toBe('yes');
  expect(await response.json()).toEqual({ path: '/rpc', echoed: '{"id":1}' });
  expect(server.seen[0]).toMatchObject({
    method: 'POST',
    headers: { 'x-key': 'k1', 'content-type': 'application/json' },
  });
});

it('sends a string body without a content type as text/plain, and a user agent and accept, as fetch does', async () => {
  await leanFetch(`${server.url}/text`, { method: 'POST', body: 'plain' });
  expect(server.seen[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  expect(server.seen[0]?.body).toBe('plain');
  expect(server.seen[0]?.headers).toMatchObject({
    'user-agent': 'proofpath',
    accept: '*/*',
    'accept-encoding': 'identity',
  });
  await leanFetch(`${server.url}/text`, { headers: { 'User-Agent': 'caller' } });
  expect(server.seen[1]?.headers['user-agent']).toBe('caller');
});

it('takes headers as a Headers object, as pairs, and from a URL object', async () => {
  await leanFetch(new URL(`${server.url}/a`), { headers: new Headers({ 'x-one': '1' }) });
  await leanFetch(`${server.url}/b`, { headers: [['x-two', '2']] });
  expect(server.seen.map((s) => [s.url, s.headers['x-one'] ?? s.headers['x-two']])).toEqual([
    ['/a', '1'],
    ['/b', '2'],
  ]);
});

it('sends a Request object with its method, headers and body, init overriding the request', async () => {
  const request = new Request(`${server.url}/req`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-from': 'request' },
    body: '{"a":1}',
  });
  const answer = await (await leanFetch(request)).json();
  expect(answer).toEqual({ path: '/req', echoed: '{"a":1}' });
  await leanFetch(new Request(`${server.url}/req2`), { method: 'PUT', headers: { 'x-from': 'init' }, body: 'b' });
  expect(server.seen[1]).toMatchObject({ method: 'PUT', body: 'b', headers: { 'x-from': 'init' } });
});

it('answers a 204 with no body, a 503 as a Response (not a throw), and keeps repeated headers', async () => {
  const empty = await leanFetch(`${server.url}/empty`);
  expect(empty.status).toBe(204);
  expect(await empty.text()).toBe('');
  const failed = await leanFetch(`${server.url}/fail`);
  expect([failed.status, failed.ok, await failed.json()]).toEqual([503, false, { e: 1 }]);
  const cookies = await leanFetch(`${server.url}/cookies`);
  expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
});

it('follows a redirect as fetch does, and fails past twenty', async () => {
  const response = await leanFetch(`${server.url}/moved`);
  expect(await response.json()).toEqual({ path: '/target', echoed: '' });
  const endless = await leanFetch(`${server.url}/hop/0`).catch((error: unknown) => error);
  expect(endless).toBeInstanceOf(TypeError);
  expect(server.seen.filter((s) => s.url?.startsWith('/hop/')).length).toBe(21);
});

it('keeps the status text, and answers HEAD without a body', async () => {
  const teapot = await leanFetch(`${server.url}/teapot`);
  expect([teapot.status, teapot.statusText]).toEqual([418, 'Short And Stout']);
  const head = await leanFetch(`${server.url}/rpc`, { method: 'HEAD' });
  expect([head.status, head.body]).toEqual([200, null]);
});

it('streams a large body instead of holding it whole, so a reader can stop early', async () => {
  const whole = await (await leanFetch(`${server.url}/large`)).arrayBuffer();
  expect(whole.byteLength).toBe(3 * 1024 * 1024);
  expect(new Uint8Array(whole).every((b) => b === 7)).toBe(true);
  const response = await leanFetch(`${server.url}/large`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let read = 0;
  for (let next = await reader.read(); !next.done && read <= 1 << 20; next = await reader.read())
    read += next.value.length;
  await reader.cancel();
  // A reader that stops at 1 MiB has not waited for the rest (it is at most a chunk past the buffered part).
  expect(read).toBeGreaterThan(1 << 20);
  expect(read).toBeLessThan(2 * 1024 * 1024);
});

it('hands what it does not send itself (a form body, manual redirects) to the global fetch', async () => {
  const form = new FormData();
  form.set('field', 'value');
  await leanFetch(`${server.url}/form`, { method: 'POST', body: form });
  expect(server.seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(server.seen[0]?.body).toContain('value');
  const manual = await leanFetch(`${server.url}/moved`, { redirect: 'manual' });
  expect(manual.status).toBe(302);
});

it('fails as fetch fails: a TypeError with the network error as its cause, the signal reason when aborted', async () => {
  const closed = await recordingServer();
  const deadUrl = closed.url;
  await closed.close();
  const refused = await leanFetch(`${deadUrl}/x`).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(TypeError);
  expect((refused as TypeError).message).toBe('fetch failed');
  expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');

  const timedOut = await leanFetch(`${server.url}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
  expect((timedOut as DOMException).name).toBe('TimeoutError');
  const controller = new AbortController();
  controller.abort(new Error('stopped by the caller'));
  const aborted = await leanFetch(`${server.url}/rpc`, { signal: controller.signal }).catch((e: unknown) => e);
  expect((aborted as Error).message).toBe('stopped by the caller');
});
