// Receipts are asked for on an interval until they exist, through transient errors, and never depend on new blocks.
import { createPublicClient, custom, defineChain, type Hash } from 'viem';
import { pollTransactionReceipt } from '../../../src/chain/receipt-poller';

const HASH = `0x${'ab'.repeat(32)}` as Hash;
const chain = defineChain({
  id: 31337,
  name: 'anvil',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } },
});
const RECEIPT = {
  transactionHash: HASH,
  blockHash: `0x${'cd'.repeat(32)}`,
  blockNumber: '0x10',
  status: '0x1',
  transactionIndex: '0x0',
  from: `0x${'11'.repeat(20)}`,
  to: `0x${'22'.repeat(20)}`,
  gasUsed: '0x5208',
  cumulativeGasUsed: '0x5208',
  effectiveGasPrice: '0x1',
  logs: [],
  logsBloom: `0x${'00'.repeat(256)}`,
  type: '0x2',
  contractAddress: null,
};

/** A node whose block number never moves (a quiet automine chain) and whose receipt appears after a few asks. */
function quietChain(answers: Array<'null' | 'error' | 'receipt'>) {
  const asked: string[] = [];
  const client = createPublicClient({
    chain,
    pollingInterval: 5,
    transport: custom(
      {
        async request({ method }: { method: string }) {
          asked.push(method);
          if (method === 'eth_blockNumber') return '0x10';
          const answer = answers.shift() ?? 'receipt';
          if (answer === 'error') throw new Error('socket hang up');
          return answer === 'null' ? null : RECEIPT;
        },
      },
      { retryCount: 0 },
    ),
  });
  return { client, asked };
}

describe('receipt polling', () => {
  it('finds a receipt that was not there at first, through a transient error, without a new block', async () => {
    const { client, asked } = quietChain(['null', 'error', 'null', 'receipt']);
    await expect(pollTransactionReceipt(client, { hash: HASH, timeout: 5_000 })).resolves.toMatchObject({
      transactionHash: HASH,
      status: 'success',
    });
    expect(asked.filter((m) => m === 'eth_getTransactionReceipt')).toHaveLength(4);
  });

  it('times out with the named viem error when the receipt never comes', async () => {
    const { client } = quietChain(Array(1_000).fill('null'));
    await expect(pollTransactionReceipt(client, { hash: HASH, timeout: 100 })).rejects.toMatchObject({
      name: 'WaitForTransactionReceiptTimeoutError',
    });
  });
});
