// A JSON-RPC pass-through between one process and anvil that can stop the world at the worst moment: once armed, the
// next eth_sendRawTransaction is forwarded (the chain gets the transaction), `onSubmitted` runs with its hash (a test
// SIGKILLs the process there), and the caller never hears back. Everything else passes unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RpcTap = {
  url: string;
  /** Cut the next transaction's answer; resolves with the hash the chain accepted. */
  armNextSend(onSubmitted: (hash: `0x${string}`) => void | Promise<void>): Promise<`0x${string}`>;
  close(): Promise<void>;
};

export async function startRpcTap(upstream: string): Promise<RpcTap> {
  let armed: ((hash: `0x${string}`) => Promise<void>) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      try {
        const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await answer.text();
        if (armed && body.includes('"eth_sendRawTransaction"')) {
          const cut = armed;
          armed = undefined;
          const { result } = JSON.parse(text) as { result: `0x${string}` };
          await cut(result);
          req.socket.destroy(); // the sender never learns its transaction was accepted
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
      } catch (error) {
        res.writeHead(502).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    armNextSend: (onSubmitted) =>
      new Promise((resolve, reject) => {
        armed = async (hash) => {
          try {
            await onSubmitted(hash);
            resolve(hash);
          } catch (error) {
            reject(error as Error);
          }
        };
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
