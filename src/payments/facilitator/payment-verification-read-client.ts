// The chain client the node's in-process verify reads through (verification-reads.ts starts its reads together).
// Over a WebSocket a read costs ~0.1 ms on anvil against ~0.4 ms over HTTP/fetch. HTTP stays behind it as a fallback,
// so a dropped socket slows verification down rather than failing it.
import { createPublicClient, fallback, webSocket, type Chain, type PublicClient, type Transport } from 'viem';
import { getWebSocketRpcClient, socketClientCache } from 'viem/utils';
import type { EngineConfig } from '../../config';
import { chainOf, pollingIntervalFor, rpcTransport } from '../../chain';

export type PaymentVerificationReadClient = {
  client: PublicClient<Transport, Chain>;
  /** Resolves once the socket is open (or could not be, leaving HTTP to serve): await it before serving. viem caches
   *  a socket only once it is open, so requests that race its opening would each open (and orphan) another. */
  ready: Promise<void>;
  close(): Promise<void>;
};

/** PAYMENT_VERIFY_RPC_URL (a ws:// URL is faster per read), else the chain's HTTP URL. WebSocket is opt-in: viem's
 *  socket keeps reconnecting after the chain goes away, which keeps a stopped process (and test runs) alive. */
export function paymentVerificationRpcUrlOf(config: Pick<EngineConfig, 'chain' | 'payments'>): string {
  return config.payments.verifyRpcUrl ?? config.chain.rpcUrl;
}

// viem keeps one socket per URL for the whole process; nodes sharing a process share it, and the last to close ends it.
const socketUsers = new Map<string, number>();

export function createPaymentVerificationReadClient(
  config: Pick<EngineConfig, 'chain' | 'payments'>,
): PaymentVerificationReadClient {
  const chain = chainOf(config);
  const url = paymentVerificationRpcUrlOf(config);
  const pollingInterval = pollingIntervalFor(chain.id);
  if (!/^wss?:\/\//.test(url))
    return {
      client: createPublicClient({ chain, transport: rpcTransport(url), pollingInterval }),
      ready: Promise.resolve(),
      close: async () => undefined,
    };

  socketUsers.set(url, (socketUsers.get(url) ?? 0) + 1);
  // retryCount 0 on the socket: a dead socket falls through to HTTP at once instead of after backoff.
  const transport = fallback([webSocket(url, { retryCount: 0 }), rpcTransport(config.chain.rpcUrl)]);
  let closed = false;
  return {
    client: createPublicClient({ chain, transport, pollingInterval }),
    ready: getWebSocketRpcClient(url).then(
      () => undefined,
      () => undefined,
    ),
    async close() {
      if (closed) return;
      closed = true;
      const users = (socketUsers.get(url) ?? 1) - 1;
      if (users > 0) return void socketUsers.set(url, users);
      socketUsers.delete(url);
      // Only a socket that was opened is closed (asking viem for the client would open one). viem's close() starts the
      // WebSocket closing handshake, which anvil leaves unanswered (the `ws` library then holds the socket for 30 s):
      // terminate it too, so that a stopped node lets its process exit.
      for (const [id, client] of socketClientCache) {
        if ((JSON.parse(id) as { url?: string }).url !== url) continue;
        const socket = client.socket as { terminate?: () => void } | undefined;
        client.close();
        socket?.terminate?.();
      }
    },
  };
}
