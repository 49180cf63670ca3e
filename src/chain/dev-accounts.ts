// Development chains only: a fresh random key with native balance set directly by anvil (`anvil_setBalance`), so a
// test suite or a benchmark sends from an account no other process shares (no nonce contention across processes).
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../config';
import { createReadClient } from './clients';

const HUNDRED_ETHER = '0x56BC75E2D63100000';

/** Sets an account's native balance to 100 ether on anvil (gas for a development account). */
export async function fundDevelopmentAccount(
  config: Pick<EngineConfig, 'chain'>,
  address: `0x${string}`,
): Promise<void> {
  await createReadClient(config).request({
    method: 'anvil_setBalance' as 'eth_chainId',
    params: [address, HUNDRED_ETHER] as never,
  });
}

export async function fundedDevelopmentKey(config: Pick<EngineConfig, 'chain'>): Promise<`0x${string}`> {
  const key = generatePrivateKey();
  await fundDevelopmentAccount(config, privateKeyToAccount(key).address);
  return key;
}
