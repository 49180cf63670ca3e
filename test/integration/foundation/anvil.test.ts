// The anvil chain started by the stack answers through viem.
import { createPublicClient, http } from 'viem';
import { testConfig } from '../../support/test-config';

describe('embedded anvil', () => {
  it('answers eth_chainId = 31337 through viem', async () => {
    const config = testConfig();
    const client = createPublicClient({ transport: http(config.chain.rpcUrl) });
    await expect(client.getChainId()).resolves.toBe(31337);
  });
});
