// Development chains only: a fresh random key with native balance set directly by anvil (`anvil_setBalance`), so a
// test suite or a benchmark sends from an account no other process shares (no nonce contention across processes).
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../config';
import { createReadClient } from './clients';

const HUNDRED_ETHER = '0x56BC75E2D63100000';

export async function fundedDevelopmentKey(config: Pick<EngineConfig, 'chain'>): Promise<`0x${string}`> {
  const key = generatePrivateKey();
  await createReadClient(config).request({
    method: 'anvil_setBalance' as 'eth_chainId',
    params: [privateKeyToAccount(key).address, HUNDRED_ETHER] as never,
  });
  return key;
}
