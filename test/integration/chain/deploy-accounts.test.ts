// contracts-deploy registers the node and verifier accounts it is given by address, so a production deployer holds
// no key but its own; without an address it derives the account from the key, and says which setting is missing.
import type { Abi } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createReadClient, deployContracts, fundedDevelopmentKey, CONTRACT_ARTIFACTS } from '../../../src/chain';
import { loadConfig } from '../../../src/config';
import { testConfig, testLogger } from '../../support/test-config';

describe('contracts-deploy accounts', () => {
  it('registers NODE_ADDRESS and VERIFIER_ADDRESS when given', async () => {
    const base = testConfig();
    const [node, verifier] = [
      privateKeyToAccount(generatePrivateKey()).address,
      privateKeyToAccount(generatePrivateKey()).address,
    ];
    const config = testConfig({
      DEPLOYER_PRIVATE_KEY: await fundedDevelopmentKey(base),
      NODE_ADDRESS: node,
      VERIFIER_ADDRESS: verifier,
    });
    const deployment = await deployContracts({ config, logger: testLogger('deploy-test', config), mintTo: [] });

    // Widened to Abi: the helper below reads several functions by name.
    const abi: Abi = CONTRACT_ARTIFACTS.SettlementRegistry.abi;
    const read = (functionName: string, account: string) =>
      createReadClient(config).readContract({
        address: deployment.registry.address,
        abi,
        functionName,
        args: [account],
      });
    expect(deployment.registeredNodes).toEqual([node]);
    await expect(read('isNode', node)).resolves.toBe(true);
    await expect(read('isVerifier', verifier)).resolves.toBe(true);
    await expect(read('isNode', privateKeyToAccount(config.keys.node).address)).resolves.toBe(false);
  });

  it('names the missing setting when a production deployer has neither the address nor the key', async () => {
    const config = loadConfig(
      {
        ...process.env,
        PROOFPATH_MODE: 'production',
        DEPLOYER_PRIVATE_KEY: generatePrivateKey(),
        PAYMENT_TOKEN_ADDRESS: `0x${'aa'.repeat(20)}`,
        SETTLEMENT_REGISTRY_ADDRESS: `0x${'bb'.repeat(20)}`,
        NODE_PRIVATE_KEY: '',
        VERIFIER_PRIVATE_KEY: '',
        PAYER_PRIVATE_KEY: '',
        FACILITATOR_PRIVATE_KEY: '',
        NODE_ADDRESS: '',
        VERIFIER_ADDRESS: '',
        ATTESTATION_ALLOW_DEVELOPMENT_ROOT: '',
        NODE_FAULTS: '',
      },
      { keyRoles: ['deployer'] },
    );
    await expect(deployContracts({ config, logger: testLogger('deploy-test', config), mintTo: [] })).rejects.toThrow(
      /NODE_PRIVATE_KEY is not set[\s\S]*or set NODE_ADDRESS/,
    );
  });
});
