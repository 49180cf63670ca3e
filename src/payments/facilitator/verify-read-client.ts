// The chain client the node's in-process verify reads through. Verify makes three sequential reads (the payer's code
// twice, then the simulated transfer), so per-call transport cost adds up: over a WebSocket a read costs ~0.1 ms on
// anvil against ~0.5 ms over HTTP/fetch. HTTP stays behind it as a fallback, so a dropped socket slows verification
// down rather than failing it.
import { createPublicClient, fallback, http, webSocket, type Chain, type PublicClient, type Transport } from 'viem';
import { socketClientCache } from 'viem/utils';
import type { EngineConfig } from '../../config';
import { chainOf, pollingIntervalFor } from '../../chain';

export type VerifyReadClient = { client: PublicClient<Transport, Chain>; close(): Promise<void> };

/** PAYMENT_VERIFY_RPC_URL, else the chain's URL; anvil and hardhat serve WebSocket on their HTTP port, so on a
 *  local development chain the default is the ws:// form of CHAIN_RPC_URL. */
export function verifyRpcUrlOf(config: Pick<EngineConfig, 'chain' | 'payments'>): string {
  if (config.payments.verifyRpcUrl) return config.payments.verifyRpcUrl;
  const { rpcUrl, chainId } = config.chain;
  const local = chainId === 31337 || chainId === 1337;
  return local ? rpcUrl.replace(/^http(s?):\/\//, 'ws$1://') : rpcUrl;
}

// viem keeps one socket per URL for the whole process; nodes sharing a process share it, and the last to close ends it.
const socketUsers = new Map<string, number>();

export function createVerifyReadClient(config: Pick<EngineConfig, 'chain' | 'payments'>): VerifyReadClient {
  const chain = chainOf(config);
  const url = verifyRpcUrlOf(config);
  const pollingInterval = pollingIntervalFor(chain.id);
  if (!/^wss?:\/\//.test(url)) return { client: createPublicClient({ chain, transport: http(url), pollingInterval }), close: async () => undefined };

  socketUsers.set(url, (socketUsers.get(url) ?? 0) + 1);
  // retryCount 0 on the socket: a dead socket falls through to HTTP at once instead of after backoff.
  const transport = fallback([webSocket(url, { retryCount: 0 }), http(config.chain.rpcUrl)]);
  let closed = false;
  return {
    client: createPublicClient({ chain, transport, pollingInterval }),
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
