// The node directory picks a node that serves a model and tells whether another node could take over a decision.
import { createNodeDirectory, rendezvousWeight } from '../../../src/decisions/node-directory';

const price = {
  amount: '1000',
  asset: `0x${'aa'.repeat(20)}`,
  network: 'eip155:31337',
  eip712: { name: 'Proofpath Dev USD', version: '1' },
};
const MODEL_A = 'a'.repeat(64);
const MODEL_B = 'b'.repeat(64);
const listings: Record<string, unknown> = {
  'http://node-1': {
    nodeId: 'node-1',
    settlementMode: 'deferred',
    models: [
      { modelId: MODEL_A, name: 'supplier-risk', price },
      { modelId: MODEL_B, name: 'demand-forecast', price },
    ],
  },
  'http://node-2': {
    nodeId: 'node-2',
    settlementMode: 'deferred',
    models: [{ modelId: MODEL_A, name: 'supplier-risk', price }],
  },
};
const fakeFetch = (async (url: string) => {
  const listing = listings[url.replace('/v1/models', '')];
  return listing ? new Response(JSON.stringify(listing), { status: 200 }) : new Response('down', { status: 503 });
}) as unknown as typeof fetch;

describe('node directory', () => {
  const directory = createNodeDirectory(['http://node-1', 'http://node-2', 'http://node-down'], { fetch: fakeFetch });

  it('chooses a reachable node serving the model, skipping excluded ones', async () => {
    await expect(directory.choose('supplier-risk', [])).resolves.toMatchObject({ nodeId: 'node-1', modelId: MODEL_A });
    await expect(directory.choose('supplier-risk', ['node-1'])).resolves.toMatchObject({
      nodeId: 'node-2',
      nodeUrl: 'http://node-2',
    });
    await expect(directory.choose('demand-forecast', ['node-1'])).rejects.toMatchObject({
      code: 'no_inference_node',
      retryable: true,
    });
  });

  it('counts as an alternate only a node that serves every model the decision used', async () => {
    await expect(directory.hasAlternate(['node-1'], [MODEL_A])).resolves.toBe(true);
    await expect(directory.hasAlternate(['node-1'], [MODEL_A, MODEL_B])).resolves.toBe(false);
    await expect(directory.hasAlternate(['node-1', 'node-2'])).resolves.toBe(false);
  });
});

describe('node directory, spread selection', () => {
  const urls = ['http://node-1', 'http://node-2', 'http://node-down'];
  const spread = createNodeDirectory(urls, { fetch: fakeFetch, selection: 'spread' });
  const expectedNode = (key: string) =>
    rendezvousWeight(key, 'node-1') > rendezvousWeight(key, 'node-2') ? 'node-1' : 'node-2';
  const keys = Array.from({ length: 40 }, (_, i) => `procurement-REQ-${i}`);

  it('places each decision on the node with the highest rendezvous weight, the same node on every call', async () => {
    for (const key of keys) {
      const first = await spread.choose('supplier-risk', [], key);
      expect(first.nodeId).toBe(expectedNode(key));
      await expect(spread.choose('supplier-risk', [], key)).resolves.toEqual(first);
    }
  });

  it('uses every reachable node, and falls back to the other one when the chosen node is excluded', async () => {
    const chosen = await Promise.all(keys.map((key) => spread.choose('supplier-risk', [], key)));
    expect(new Set(chosen.map((c) => c.nodeId))).toEqual(new Set(['node-1', 'node-2']));
    for (const key of keys) {
      const other = expectedNode(key) === 'node-1' ? 'node-2' : 'node-1';
      await expect(spread.choose('supplier-risk', [expectedNode(key)], key)).resolves.toMatchObject({ nodeId: other });
    }
  });

  it('does not depend on the order nodes are configured in', async () => {
    const reversed = createNodeDirectory([...urls].reverse(), { fetch: fakeFetch, selection: 'spread' });
    for (const key of keys) expect((await reversed.choose('supplier-risk', [], key)).nodeId).toBe(expectedNode(key));
  });

  it('only considers nodes serving the model', async () => {
    for (const key of keys)
      await expect(spread.choose('demand-forecast', [], key)).resolves.toMatchObject({ nodeId: 'node-1' });
  });
});
