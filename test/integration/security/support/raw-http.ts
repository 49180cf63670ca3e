// HTTP requests a well-behaved client would not send: from another loopback address, with oversized heads, raw
// bytes, or trickled slowly (slow-loris). node:http and node:net, so nothing rewrites or refuses them on the way out.
import http from 'node:http';
import net from 'node:net';

export type RawAnswer = { status: number; body: Record<string, unknown>; text: string };

export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; localAddress?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Node's own refusals (431, 408) have no JSON body.
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * Opens a connection and trickles a request head (or, with `body`, a body) one line every `everyMs`, never finishing;
 * resolves with what the server answered and how long it let the client hold the connection.
 */
export function slowLoris(
  url: string,
  options: { everyMs: number; giveUpMs: number; trickleBody?: boolean },
): Promise<{ status: number | undefined; heldMs: number }> {
  const target = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(target.port), target.hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined);
    const finish = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve({ status: status ? Number(status) : undefined, heldMs: Date.now() - started });
    };
    socket.once('close', finish);
    const giveUp = setTimeout(finish, options.giveUpMs);
    socket.write(`POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n`);
    if (options.trickleBody) socket.write('Content-Length: 100000\r\n\r\n{"rows":[');
    let n = 0;
    const timer = setInterval(() => socket.write(options.trickleBody ? '1,' : `X-Slow-${n++}: a\r\n`), options.everyMs);
  });
}
