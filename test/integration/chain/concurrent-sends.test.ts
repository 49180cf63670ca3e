// Many transactions from one key at once, some of which revert before they are broadcast: every one that can land
// lands, and none waits forever behind a nonce that a failed send took and never used.
import { BaseError, ContractFunctionRevertedError, keccak256, toHex, type Abi, type Hex } from 'viem';
import { createChainClients, fundedDevelopmentKey, CONTRACT_ARTIFACTS } from '../../../src/chain';
import { testConfig } from '../../support/test-config';

const RECEIPT_WAIT_MS = 30_000; // a liveness bound for a local chain that mines on every transaction, not a speed check

describe('concurrent sends from one key', () => {
  it('land every transaction that can land when others fail before broadcast', async () => {
    const config = testConfig();
    const clients = createChainClients(config, await fundedDevelopmentKey(config));
    const { bytecode } = CONTRACT_ARTIFACTS.SettlementRegistry;
    // Widened to Abi: the helper below calls several functions by name.
    const abi: Abi = CONTRACT_ARTIFACTS.SettlementRegistry.abi;
    const deployed = await clients.publicClient.waitForTransactionReceipt({
      hash: await clients.walletClient.deployContract({ abi, bytecode, args: [] }),
    });
    const registry = deployed.contractAddress as `0x${string}`;
    const write = (functionName: string, args: readonly unknown[]) =>
      clients.walletClient.writeContract({ address: registry, abi, functionName, args });
    const wait = (hash: Hex) => clients.publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_WAIT_MS });
    await wait(await write('registerNode', [clients.account.address]));

    const root = (i: number) => keccak256(toHex(`root-${i}`));
    const taken = [0, 1, 2, 3, 4, 5, 6, 7].map(root);
    for (const r of taken) await wait(await write('commitBatch', [r, 1]));

    // 24 at once: every third one commits a root that is already on chain, so its gas estimation reverts.
    const attempts = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? taken[i / 3]! : root(100 + i)));
    const outcomes = await Promise.allSettled(attempts.map((r) => write('commitBatch', [r, 1])));

    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(rejected).toHaveLength(8);
    for (const reason of rejected) {
      expect(
        reason instanceof BaseError && reason.walk((e) => e instanceof ContractFunctionRevertedError),
      ).toBeTruthy();
    }
    const sent = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(sent).toHaveLength(16);
    const receipts = await Promise.all(sent.map(wait));
    expect(receipts.every((r) => r.status === 'success')).toBe(true);
    expect(new Set(receipts.map((r) => r.transactionHash)).size).toBe(16);

    // The key is still usable afterwards: its next transaction lands at once.
    expect((await wait(await write('commitBatch', [root(999), 1]))).status).toBe('success');
  });
});
