// The anvil chain started by the stack answers through viem, and its clock follows wall time while nobody transacts.
import { createPublicClient, http } from 'viem';
import { ANVIL_IDLE_BLOCK_SECONDS } from '../../../src/devstack/services/anvil';
import { testConfig } from '../../support/test-config';

describe('embedded anvil', () => {
  const config = testConfig();
  const client = createPublicClient({ transport: http(config.chain.rpcUrl) });

  it('answers eth_chainId = 31337 through viem', async () => {
    await expect(client.getChainId()).resolves.toBe(31337);
  });

  it('mines empty blocks while idle, so the latest block (the clock eth_call simulates at) stays near wall time', async () => {
    const before = await client.getBlock({ blockTag: 'latest' });
    await new Promise((resolve) => setTimeout(resolve, (ANVIL_IDLE_BLOCK_SECONDS + 1) * 1000));
    const after = await client.getBlock({ blockTag: 'latest' });
    expect(after.number).toBeGreaterThan(before.number);
    const lagSeconds = Math.floor(Date.now() / 1000) - Number(after.timestamp);
    expect(lagSeconds).toBeLessThanOrEqual(ANVIL_IDLE_BLOCK_SECONDS + 2);
  }, 30_000);
});
