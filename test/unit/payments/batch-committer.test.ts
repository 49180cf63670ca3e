// Batch mode commits every N receipts, or T after the first receipt of a batch: a burst of N is never split by a tick.
import { keccak256, toHex } from 'viem';
import type { ReceiptRegistry } from '../../../src/chain';
import {
  createBatchCommitter,
  type BatchEntry,
  type BatchOutcome,
} from '../../../src/payments/settlement/batch-committer';
import { testLogger } from '../../support/test-config';

const entry = (i: number): BatchEntry => ({ receiptId: `r-${i}`, digest: keccak256(toHex(`receipt ${i}`)) });

function build() {
  const committed: number[] = [];
  const outcomes: BatchOutcome[] = [];
  const registry = {
    commitBatch: async (_root: string, size: number) => {
      committed.push(size);
      return { transaction: keccak256(toHex(size)) };
    },
  } as unknown as ReceiptRegistry;
  const committer = createBatchCommitter({
    registry,
    size: 4,
    intervalMs: 1_000,
    attempts: 1,
    backoffMs: 1,
    logger: testLogger(),
    onOutcome: (_e, o) => outcomes.push(o),
  });
  return { committed, outcomes, committer };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('batch committer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('commits a full batch at once and the rest T after its first receipt', async () => {
    const { committed, committer } = build();
    jest.advanceTimersByTime(990); // time passing with nothing pending starts no clock
    for (let i = 0; i < 3; i++) committer.add(entry(i));
    jest.advanceTimersByTime(500);
    committer.add(entry(3)); // the 4th: full batch, committed now
    await settle();
    expect(committed).toEqual([4]);
    committer.add(entry(4));
    committer.add(entry(5));
    jest.advanceTimersByTime(999);
    await settle();
    expect(committed).toEqual([4]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(committed).toEqual([4, 2]);
  });

  it('hands every receipt of a committed batch a proof against its root', async () => {
    const { outcomes, committer } = build();
    for (let i = 0; i < 4; i++) committer.add(entry(i));
    await settle();
    expect(outcomes[0]).toMatchObject({ status: 'committed', size: 4 });
    expect([...(outcomes[0]?.proofs.keys() ?? [])]).toEqual(['r-0', 'r-1', 'r-2', 'r-3']);
  });

  it('commits what is pending on close', async () => {
    const { committed, committer } = build();
    committer.add(entry(0));
    await committer.close();
    expect(committed).toEqual([1]);
  });
});
