// A node restarted between answering and proving still delivers every proof: finished proofs come back from its proof
// journal, and the ones its shutdown left unproved are proved by the next start. A verifier polling across the restart
// sees 202 and then the proof, never a 404 (which would roll a decision back for no fault of the node's answer).
import { ProofStatusSchema } from '../../../src/contracts/proof';
import { createPayingClientFromConfig } from '../../../src/payments';
import { startPaymentsStack, validRows, type PaymentsStack } from '../payments/support/payments-stack';

const PROOF_WAIT_MS = 60_000; // liveness bound for a handful of ~0.1 s proofs on a loaded 2-core machine

async function proofOf(nodeUrl: string, receiptId: string) {
  const deadline = Date.now() + PROOF_WAIT_MS;
  for (;;) {
    const response = await fetch(`${nodeUrl}/v1/receipts/${receiptId}/proof`);
    if (response.status === 404) return { http: 404, status: await response.json() };
    const status = ProofStatusSchema.parse(await response.json());
    if (status.status !== 'pending' || Date.now() > deadline) return { http: response.status, status };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('proofs across a node restart', () => {
  let stack: PaymentsStack;
  beforeAll(async () => {
    stack = await startPaymentsStack({ settlementMode: 'deferred' });
  });
  afterAll(() => stack?.close());

  it('serves every proof after the restart, including those the shutdown left unproved', async () => {
    const modelId = stack.models.describe('supplier-risk').id;
    const answers = await Promise.all(
      stack.payerKeys.slice(0, 4).map((key, i) =>
        createPayingClientFromConfig(stack.config, { privateKey: key }).payAndInfer({
          nodeUrl: stack.node.url,
          modelId,
          rows: validRows(stack.models, 'supplier-risk', 3),
          idempotencyKey: `restart-${i}`,
        }),
      ),
    );
    // Proofs are made one at a time after answering; restart while most are still queued.
    const node = await stack.restartNode();
    for (const answer of answers) {
      const { http, status } = await proofOf(node.url, answer.receipt.receiptId);
      expect(http).toBe(200);
      expect(status).toMatchObject({ status: 'ready', bundle: { receiptId: answer.receipt.receiptId, modelId } });
    }
  });
});
