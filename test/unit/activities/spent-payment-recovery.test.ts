// A retried payAndInfer whose payment an earlier attempt already spent at another node (the directory moved the
// decision while that node was away) gets its answer from the node that was paid, instead of failing the decision.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInferenceActivities } from '../../../activities/inference';
import { NoInferenceNodeError, type NodeDirectory } from '../../../src/decisions/node-directory';
import { InferenceRequestError, NodeRequestError, PaymentRejectedError } from '../../../src/payments';
import { channelMismatch } from '../../../src/payments/channel';
import type { PayAndInferParams, PayAndInferResult, PayingClient } from '../../../src/payments/client';

const input = {
  decisionId: 'routing-SHP-1',
  idempotencyKey: 'routing-SHP-1/1/route',
  issuedAt: '2026-12-03T10:00:00.000Z',
  step: 'route',
  modelName: 'route-scorer',
  rows: [[1, 2]],
  excludeNodeIds: [],
};

/** A directory of nodes in preference order; excluded ones are skipped, none left is NoInferenceNodeError. */
function directory(nodeIds: string[]): NodeDirectory & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    choose: (_model, exclude) => {
      asked.push([...exclude]);
      const nodeId = nodeIds.find((id) => !exclude.includes(id));
      return nodeId
        ? Promise.resolve({ nodeUrl: `http://${nodeId}`, nodeId, modelId: 'm' })
        : Promise.reject(new NoInferenceNodeError('none left'));
    },
    hasAlternate: () => Promise.resolve(false),
  };
}

const spent = () => new PaymentRejectedError('invalid_exact_evm_nonce_already_used', 'nonce used', false);

function client(answers: Record<string, () => Promise<PayAndInferResult>>): PayingClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    payer: '0x0000000000000000000000000000000000000001',
    payAndInfer: (params: PayAndInferParams) => {
      urls.push(params.nodeUrl);
      return answers[params.nodeUrl]!();
    },
  };
}

const answerFrom = (nodeId: string) => () =>
  Promise.resolve({
    modelId: 'm',
    outputs: [[0.5]],
    paymentRef: 'eip155:31337/0xT/0xP/0x01',
    settlement: { status: 'pending', attempts: 0, updatedAt: '2026-12-03T10:00:00.000Z' },
    receipt: { nodeId, receiptId: `r-${nodeId}`, inputHash: '0x1', outputHash: '0x2', settlementMode: 'deferred' },
  } as unknown as PayAndInferResult);

const run = (nodes: NodeDirectory, payingClient: PayingClient) =>
  new MockActivityEnvironment().run(createInferenceActivities({ nodes, payingClient }).payAndInfer, input);

it('asks the next node when this one says the payment is already spent, and records the node that answered', async () => {
  const nodes = directory(['nodeB', 'nodeA']);
  const payer = client({ 'http://nodeB': () => Promise.reject(spent()), 'http://nodeA': answerFrom('nodeA') });
  const record = await run(nodes, payer);
  expect(payer.urls).toEqual(['http://nodeB', 'http://nodeA']);
  expect(nodes.asked).toEqual([[], ['nodeB']]);
  expect(record).toMatchObject({ nodeId: 'nodeA', nodeUrl: 'http://nodeA', receiptId: 'r-nodeA' });
});

it('asks the next node when this one refuses a channel voucher made out to another node (channel mode)', async () => {
  // What nodeB's channel gate says of a voucher on nodeA's channel, answered 402 (a PaymentRejectedError).
  const code = channelMismatch(
    { channelConfig: { receiver: '0x00000000000000000000000000000000000000aa' } } as never,
    { payTo: '0x00000000000000000000000000000000000000bb' } as never,
    {} as never,
  );
  expect(new NodeRequestError(code!).status).toBe(402);
  const nodes = directory(['nodeB', 'nodeA']);
  const otherReceiver = new PaymentRejectedError(code!, 'receiver', false);
  const payer = client({ 'http://nodeB': () => Promise.reject(otherReceiver), 'http://nodeA': answerFrom('nodeA') });
  const record = await run(nodes, payer);
  expect(payer.urls).toEqual(['http://nodeB', 'http://nodeA']);
  expect(record).toMatchObject({ nodeId: 'nodeA', receiptId: 'r-nodeA' });
});

it('fails retryably when no reachable node has the spent payment (the paid node is away)', async () => {
  const nodes = directory(['nodeB']);
  const payer = client({ 'http://nodeB': () => Promise.reject(spent()) });
  await expect(run(nodes, payer)).rejects.toMatchObject({ name: 'NoInferenceNodeError', retryable: true });
});

it('does not move on for any other refusal', async () => {
  const nodes = directory(['nodeB', 'nodeA']);
  const payer = client({
    'http://nodeB': () => Promise.reject(new InferenceRequestError('invalid_features', 'bad rows', 422)),
    'http://nodeA': answerFrom('nodeA'),
  });
  await expect(run(nodes, payer)).rejects.toMatchObject({ code: 'invalid_features' });
  expect(payer.urls).toEqual(['http://nodeB']);
});
