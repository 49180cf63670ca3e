// `nodes list`: one line per node (reachable with its id and settlement mode, or why not), one per model it sells.
import { modelIdPrefix, renderNodes } from '../../../src/cli/render/nodes';

const price = {
  amount: '1000',
  asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as `0x${string}`,
  network: 'eip155:31337',
  eip712: { name: 'Proofpath Dev USD', version: '1' },
};

describe('renderNodes', () => {
  it('lists a reachable node with its models and an unreachable one with the reason', () => {
    const text = renderNodes([
      {
        url: 'http://127.0.0.1:8402',
        role: 'primary',
        reachable: true,
        listing: {
          nodeId: '0xnode',
          settlementMode: 'batch',
          models: [
            { modelId: `sha256:${'ab'.repeat(32)}`, name: 'supplier-risk', price },
            { modelId: 'cd'.repeat(32), name: 'lane-eta', price: { ...price, amount: '2500' } },
          ],
        },
      },
      { url: 'http://10.0.0.9:8402', role: 'alternate', reachable: false, error: 'connection refused' },
    ]);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/\s{2,}/g, '  '));
    expect(lines).toEqual([
      'http://127.0.0.1:8402  primary  reachable  node 0xnode  settlement batch  2 model(s)',
      '  supplier-risk  sha256:abababababab  1000 units of Proofpath Dev USD (0x5FbD…0aa3) on eip155:31337',
      '  lane-eta  cdcdcdcdcdcd  2500 units of Proofpath Dev USD (0x5FbD…0aa3) on eip155:31337',
      'http://10.0.0.9:8402  alternate  unreachable  connection refused',
    ]);
  });

  it('shortens model ids to their scheme and first 12 hex digits', () => {
    expect(modelIdPrefix(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe('sha256:0123456789ab');
    expect(modelIdPrefix('0123456789abcdef')).toBe('0123456789ab');
  });
});
