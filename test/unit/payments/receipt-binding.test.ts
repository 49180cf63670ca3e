// The paying client acts only on an answer its receipt signs: same model, the rows it sent, the outputs it got.
import { privateKeyToAccount } from 'viem/accounts';
import { anvilAccounts } from '../../../src/config';
import { createEphemeralReceiptSigner, receiptIdOf } from '../../../src/inference-node';
import { inputHash, outputHash } from '../../../src/models';
import { createPayingClient, createSpendLedger, ReceiptMismatchError } from '../../../src/payments';

const MODEL = '118246ba88355aa9622cdd6d96d1272199428e3434813591d1ee439af7c9301c';
const ROWS = [[1.1, 12, 0.9, 0.01, 800, 0.3, 0.2]];
const OUTPUTS = [[0.25]];

type Tamper = { returnedOutputs?: number[][]; receiptRows?: number[][]; receiptModel?: string };

/** A node that answers 200 at once (a model priced 0) with a receipt signed over what `tamper` says. */
async function nodeAnswering(tamper: Tamper = {}): Promise<typeof fetch> {
  const paymentRef = 'eip155:31337/0xToken/0xPayer/0x01';
  const { receipt } = await createEphemeralReceiptSigner().sign({
    receiptId: receiptIdOf('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', paymentRef),
    modelId: tamper.receiptModel ?? MODEL,
    inputHash: inputHash(tamper.receiptRows ?? ROWS),
    outputHash: outputHash(OUTPUTS),
    nodeId: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
    issuedAt: '2026-03-01T12:00:00.000Z',
    paymentRef,
    settlementMode: 'deferred',
  });
  const body = {
    modelId: MODEL,
    outputs: tamper.returnedOutputs ?? OUTPUTS,
    receipt,
    paymentRef,
    settlement: { status: 'not_required', attempts: 0, updatedAt: '2026-03-01T12:00:00.000Z' },
  };
  return (async () =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })) as typeof fetch;
}

async function payWith(fetchImpl: typeof fetch) {
  const signer = privateKeyToAccount(anvilAccounts()[5]!.privateKey);
  const ledger = createSpendLedger({ allowedAssets: [], maxPerPayment: 10n ** 6n, dailyBudget: 10n ** 9n });
  const client = createPayingClient({ signer, network: 'eip155:31337', ledger, fetch: fetchImpl });
  return client.payAndInfer({
    nodeUrl: 'http://node.invalid',
    modelId: MODEL,
    rows: ROWS,
    idempotencyKey: 'decision-1/1/step',
    issuedAt: '2026-03-01T12:00:00Z',
  });
}

describe('the paying client binds the answer to its receipt', () => {
  it('accepts an answer whose receipt commits to the rows sent and the outputs returned', async () => {
    await expect(payWith(await nodeAnswering())).resolves.toMatchObject({ outputs: OUTPUTS });
  });

  it.each<[string, Tamper, RegExp]>([
    ['outputs other than the signed ones', { returnedOutputs: [[0.9]] }, /outputHash/],
    ['a receipt over other rows', { receiptRows: [[2, 12, 0.9, 0.01, 800, 0.3, 0.2]] }, /inputHash/],
    ['a receipt for another model', { receiptModel: 'another-model' }, /model: asked/],
  ])('refuses %s (receipt_mismatch, not retryable)', async (_case, tamper, problem) => {
    const error = await payWith(await nodeAnswering(tamper)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiptMismatchError);
    expect(error).toMatchObject({ code: 'receipt_mismatch', retryable: false });
    expect((error as Error).message).toMatch(problem);
  });
});
