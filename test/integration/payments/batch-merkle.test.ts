// Batch mode commits receipt digests as Merkle roots; every receipt's proof verifies against the root read from chain.
import { decodeEventLog, type Hex } from 'viem';
import {
  createReadClient,
  createReceiptRegistry,
  CONTRACT_ARTIFACTS,
  merkleLeaf,
  verifyMerkleProof,
} from '../../../src/chain';
import { ReceiptRecordSchema } from '../../../src/contracts';
import { receiptDigest } from '../../../src/verification';
import { createPayingClientFromConfig } from '../../../src/payments';
import { startPaymentsStack, validRows, type PaymentsStack } from './support/payments-stack';

describe('batch mode', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({
      settlementMode: 'batch',
      env: { PAYMENT_BATCH_SIZE: '4', PAYMENT_BATCH_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(() => stack?.close());

  it('commits every N receipts (and the rest after T seconds) as roots whose proofs verify on the chain data', async () => {
    const modelId = stack.models.describe('lane-eta').id;
    const rows = validRows(stack.models, 'lane-eta');
    const results = await Promise.all(
      stack.payerKeys.slice(0, 6).map((key, i) =>
        createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
          nodeUrl: stack.node.url,
          modelId,
          rows,
          idempotencyKey: `batch-${i}`,
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 1_500)); // the interval flushes the last 2 of 6
    await stack.node.drain();

    const records = await Promise.all(
      results.map(async (r) =>
        ReceiptRecordSchema.parse(await (await fetch(`${stack.node.url}/v1/receipts/${r.receipt.receiptId}`)).json()),
      ),
    );
    const client = createReadClient(stack.config);
    const { abi } = CONTRACT_ARTIFACTS.SettlementRegistry;
    const registry = createReceiptRegistry(stack.config, stack.deployment.registry.address, stack.config.keys.verifier);
    const sizes = new Map<string, number>();
    for (const record of records) {
      const { commitment } = record;
      expect(commitment).toMatchObject({ kind: 'batch', status: 'committed' });
      expect(record.digest).toBe(receiptDigest(record.receipt));
      // Read the root back from the chain: the BatchCommitted event of the commitment's transaction...
      const receipt = await client.getTransactionReceipt({ hash: commitment.transaction as Hex });
      const event = receipt.logs
        .map((log) => {
          try {
            return decodeEventLog({ abi, data: log.data, topics: log.topics });
          } catch {
            return undefined;
          }
        })
        .find((e) => e?.eventName === 'BatchCommitted');
      const onChainRoot = (event?.args as unknown as { root: Hex }).root;
      expect(onChainRoot).toBe(commitment.root);
      // ...and the registry's record of it.
      const stored = await registry.commitmentOf(onChainRoot);
      expect(stored?.node).toBe(stack.nodeAddress);
      expect(stored?.size).toBe(commitment.size);
      expect(verifyMerkleProof(merkleLeaf(record.digest), commitment.proof ?? [], onChainRoot)).toBe(true);
      expect(
        verifyMerkleProof(
          merkleLeaf(records[0] === record ? records[1]!.digest : records[0]!.digest),
          commitment.proof ?? [],
          onChainRoot,
        ),
      ).toBe(false);
      sizes.set(onChainRoot, commitment.size as number);
    }
    expect([...sizes.values()].sort()).toEqual([2, 4]);
  });
});
