// viem clients for one key on the configured chain: a nonce-managed account whose broadcasts run one at a time
// (concurrent transactions from one key must neither collide on the account nonce nor leave a gap when one fails
// before it is sent; see serial-sends.ts), receipts polled on an interval rather than per block (receipt-poller.ts),
// and a short polling interval on local chains.
import {
  createClient,
  createPublicClient,
  defineChain,
  http,
  type Chain,
  type PublicClient,
  type WalletClient,
  type Account,
  type Transport,
} from 'viem';
import { nonceManager } from 'viem/accounts';
import type { EngineConfig } from '../config';
import { leanFetch } from '../http-client';
import { fastLocalAccount } from '../signatures';
import { withReceiptPolling } from './receipt-poller';
import { serialWalletClient } from './serial-sends';

export type ChainClients = {
  chain: Chain;
  account: Account & { address: `0x${string}` };
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
};

/** Local development chains mine on every transaction: poll receipts fast (viem's default of 4 s dominated latency). */
export function pollingIntervalFor(chainId: number): number {
  return chainId === 31337 || chainId === 1337 ? 25 : 1_000;
}

export function chainOf(config: Pick<EngineConfig, 'chain'>): Chain {
  return defineChain({
    id: config.chain.chainId,
    name: config.chain.chainId === 31337 ? 'anvil' : `eip155:${config.chain.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.chain.rpcUrl] } },
  });
}

export function networkOf(config: Pick<EngineConfig, 'chain'>): `eip155:${number}` {
  return `eip155:${config.chain.chainId}`;
}

/** JSON-RPC over HTTP through the engine's lean fetch (a third of the global fetch's CPU per call). */
export function rpcTransport(url: string): ReturnType<typeof http> {
  return http(url, { fetchFn: leanFetch });
}

export function createReadClient(config: Pick<EngineConfig, 'chain'>): PublicClient<Transport, Chain> {
  const chain = chainOf(config);
  return withReceiptPolling(
    createPublicClient({
      chain,
      transport: rpcTransport(config.chain.rpcUrl),
      pollingInterval: pollingIntervalFor(chain.id),
    }),
  );
}

export function createChainClients(config: Pick<EngineConfig, 'chain'>, privateKey: `0x${string}`): ChainClients {
  const chain = chainOf(config);
  // Signs with libsecp256k1 (src/signatures), byte for byte what privateKeyToAccount signs, 3-5x faster.
  const account = fastLocalAccount(privateKey, { nonceManager });
  const pollingInterval = pollingIntervalFor(chain.id);
  const transport = rpcTransport(config.chain.rpcUrl);
  return {
    chain,
    account,
    publicClient: withReceiptPolling(createPublicClient({ chain, transport, pollingInterval })),
    walletClient: serialWalletClient(
      createClient({ chain, transport, account, pollingInterval, type: 'walletClient', name: 'Wallet Client' }),
    ),
  };
}
