// The node's after-the-answer queue: never more than N tasks at once, none before the current macrotask ends, and a
// failing task frees its slot.
import { createBackgroundQueue } from '../../../src/payments';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('background queue', () => {
  it('runs at most `concurrency` tasks at once and starts the next when one finishes', async () => {
    const queue = createBackgroundQueue(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(queue.size).toEqual({ waiting: 1, running: 2 });
    gates[0]!.resolve();
    await expect(done[0]).resolves.toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await expect(Promise.all(done)).resolves.toEqual([0, 1, 2]);
    expect(queue.size).toEqual({ waiting: 0, running: 0 });
  });

  it('does not start a task in the macrotask that queued it (the answer is written first)', async () => {
    const queue = createBackgroundQueue(4);
    let ran = false;
    const done = queue.run(async () => {
      ran = true;
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    await done;
    expect(ran).toBe(true);
  });

  it('frees the slot of a task that throws, synchronously or not', async () => {
    const queue = createBackgroundQueue(1);
    await expect(
      queue.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(
      queue.run(async () => {
        throw new Error('async');
      }),
    ).rejects.toThrow('async');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a concurrency below 1', () => {
    expect(() => createBackgroundQueue(0)).toThrow(RangeError);
  });
});
