// A node key the settlement registry does not know: the registry says so up front, and a commitment fails with the
// revert reason in full and a named, non-retryable error (not "reverted with the following reason:" and nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keccak256, toHex } from 'viem';
import {
  createReceiptRegistry,
  deployContracts,
  fundedDevelopmentKey,
  NodeNotRegisteredError,
} from '../../../src/chain';
import { testConfig, testLogger } from '../../support/test-config';

jest.setTimeout(60_000);

it('refuses a commitment from an unregistered node key with NodeNotRegisteredError naming the key', async () => {
  const base = testConfig();
  const [deployer, registeredNode, strangerNode] = [
    await fundedDevelopmentKey(base),
    await fundedDevelopmentKey(base),
    await fundedDevelopmentKey(base),
  ];
  const config = testConfig({
    PROOFPATH_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-unregistered-')),
    DEPLOYER_PRIVATE_KEY: deployer,
    NODE_PRIVATE_KEY: registeredNode,
  });
  const deployment = await deployContracts({
    config,
    logger: testLogger('unregistered-node-test', config),
    mintTo: [],
  });
  const stranger = createReceiptRegistry(config, deployment.registry.address, strangerNode);
  const known = createReceiptRegistry(config, deployment.registry.address, registeredNode);

  await expect(stranger.isRegisteredNode?.()).resolves.toBe(false);
  await expect(known.isRegisteredNode?.()).resolves.toBe(true);
  const digest = keccak256(toHex(`unregistered ${Date.now()}`));
  const attempt = stranger.commitReceipt(digest);
  await expect(attempt).rejects.toBeInstanceOf(NodeNotRegisteredError);
  await expect(attempt).rejects.toMatchObject({
    code: 'node_not_registered',
    retryable: false,
    message: expect.stringContaining('is not registered on the settlement registry'),
  });
  await expect(known.commitReceipt(digest)).resolves.toMatchObject({ alreadyCommitted: false });
  // Any other revert keeps its reason in full.
  await expect(known.commitReceipt(keccak256(toHex('other')))).resolves.toBeDefined();
  await expect(known.commitBatch(keccak256(toHex(`empty ${Date.now()}`)), 0)).rejects.toThrow(
    'commitBatch reverted: empty batch',
  );
});
