// anvil from the npm package @foundry-rs/anvil; the platform package's native binary is run directly so that the
// PID file holds the chain's own PID. Chain state is dumped to the state directory on exit and loaded on start.
import path from 'node:path';
import { ANVIL_ACCOUNT_COUNT, type EngineConfig } from '../../config';
import type { StackService } from '../service';

/** Interval of the empty blocks a quiet dev chain mines so that its clock follows wall time (see the args). */
export const ANVIL_IDLE_BLOCK_SECONDS = 5;

export function anvilBinaryPath(): string {
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), 'bin', 'anvil');
}

export async function chainIdOf(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    signal: AbortSignal.timeout(1_000),
  });
  const body = (await response.json()) as { result?: string };
  return Number(body.result);
}

export const anvilService: StackService = {
  name: 'anvil',
  startTimeoutMs: 60_000,
  describe: (config: EngineConfig) =>
    `anvil (npm @foundry-rs/anvil), chain id ${config.chain.chainId}, ${config.chain.rpcUrl}`,
  installTitle: 'anvil: checking the platform binary',
  needsInstall: () => false,
  async ensureInstalled() {
    anvilBinaryPath(); // throws with a clear module-not-found message when the platform package is missing
  },
  async command(config, paths) {
    const url = new URL(config.chain.rpcUrl);
    return {
      command: anvilBinaryPath(),
      args: [
        '--host',
        url.hostname,
        '--port',
        url.port || '8545',
        '--chain-id',
        String(config.chain.chainId),
        '--accounts',
        String(ANVIL_ACCOUNT_COUNT),
        '--state',
        path.join(paths.dataDir, 'anvil-state.json'),
        // Without this anvil writes every historical state to ~/.foundry/anvil/tmp once its memory cache is full: a
        // day of test runs left 67 GB there and filled the disk. The engine reads only the latest state (logs and
        // blocks stay available), so a short in-memory history is enough.
        '--prune-history',
        '64',
        // A quiet anvil mines only when a transaction comes, so its latest block (the clock every eth_call, and so the
        // facilitator's simulation of an EIP-3009 transfer, runs at) falls behind wall time. After 10 idle minutes a
        // fresh authorization (validAfter = now - 600 s) simulated as "not yet valid" and every payment was refused
        // (seen in CI after the chaos suite left the shared chain idle). Mixed mining keeps automine for transactions
        // and adds an empty block every ANVIL_IDLE_BLOCK_SECONDS, as a live chain's clock moves on its own.
        '--block-time',
        String(ANVIL_IDLE_BLOCK_SECONDS),
        '--mixed-mining',
        '--silent',
      ],
    };
  },
  async healthy(config) {
    return (await chainIdOf(config.chain.rpcUrl)) === config.chain.chainId;
  },
};
