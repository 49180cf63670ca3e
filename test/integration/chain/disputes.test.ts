// A dispute is recorded once per receipt on the settlement registry, so a retried compensation cannot double it.
import { decodeEventLog, keccak256, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  createReadClient,
  deployContracts,
  fundedDevelopmentKey,
  CONTRACT_ARTIFACTS,
  writeDeployment,
} from '../../../src/chain';
import { createOnChainAccountability } from '../../../src/decisions/accountability';
import { testConfig, testLogger } from '../../support/test-config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('payment disputes on the settlement registry', () => {
  it('records one PaymentDisputed per receipt however often the dispute is sent', async () => {
    const base = testConfig();
    const [deployer, verifier] = [await fundedDevelopmentKey(base), await fundedDevelopmentKey(base)];
    const config = testConfig({
      PROOFPATH_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-disputes-')),
      DEPLOYER_PRIVATE_KEY: deployer,
      VERIFIER_PRIVATE_KEY: verifier,
    });
    const deployment = await deployContracts({ config, logger: testLogger('disputes-test', config), mintTo: [] });
    writeDeployment(config, deployment);
    const accountability = createOnChainAccountability(config);
    const receiptId = keccak256(toHex(`receipt ${Date.now()}`));
    const dispute = {
      decisionId: 'procurement-T-1',
      nodeId: privateKeyToAccount(config.keys.node).address,
      receiptId,
      paymentRef: 'eip155:31337/0xtoken/0xpayer/0x01',
      reason: 'reexecution_output_mismatch',
    };

    const first = await accountability.disputePayment(dispute);
    const retried = await accountability.disputePayment(dispute); // the activity retried after a lost answer

    const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;
    const client = createReadClient(config);
    const disputesIn = async (hash: string) =>
      (await client.getTransactionReceipt({ hash: hash as Hex })).logs
        .map((log) => {
          try {
            return decodeEventLog({ abi, data: log.data, topics: log.topics });
          } catch {
            return undefined;
          }
        })
        .filter((e) => e?.eventName === 'PaymentDisputed');
    expect(await disputesIn(first.reference)).toHaveLength(1);
    expect(await disputesIn(retried.reference)).toHaveLength(0);
    await expect(
      client.readContract({ address: deployment.registry.address, abi, functionName: 'isDisputed', args: [receiptId] }),
    ).resolves.toBe(true);
  });
});
