// The quiet gate: after-the-answer work waits while requests are in progress and for the quiet period after the last,
// never longer than the deferral bound, and at once when stopped.
import { createBackgroundQueue, BackgroundWorkStoppedError, createQuietGate } from '../../../src/payments';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function track(p: Promise<unknown>) {
  const state = { done: false };
  void p.then(() => (state.done = true));
  return state;
}

describe('quiet gate', () => {
  it('lets work through at once when nothing is in progress and the node has been quiet', async () => {
    const gate = createQuietGate({ quietMs: 500, maxDeferMs: 3_000 });
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(0);
    expect(waited.done).toBe(true);
  });

  it('holds work while a request is in progress and releases it the quiet period after the answer', async () => {
    const gate = createQuietGate({ quietMs: 500, maxDeferMs: 3_000 });
    const answered = gate.enter();
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(waited.done).toBe(false);
    answered();
    await jest.advanceTimersByTimeAsync(499);
    expect(waited.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(waited.done).toBe(true);
  });

  it('restarts the quiet period when the next request arrives within it', async () => {
    const gate = createQuietGate({ quietMs: 500, maxDeferMs: 3_000 });
    gate.enter()();
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(300);
    const second = gate.enter();
    await jest.advanceTimersByTimeAsync(300);
    second();
    await jest.advanceTimersByTimeAsync(400);
    expect(waited.done).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect(waited.done).toBe(true);
  });

  it('never holds work longer than maxDeferMs on a node that is never quiet', async () => {
    const gate = createQuietGate({ quietMs: 500, maxDeferMs: 3_000 });
    gate.enter(); // never answered
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(2_999);
    expect(waited.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(waited.done).toBe(true);
  });

  it('counts overlapping requests: quiet only after the last one, and an answer reported twice counts once', async () => {
    const gate = createQuietGate({ quietMs: 100, maxDeferMs: 10_000 });
    const a = gate.enter();
    const b = gate.enter();
    a();
    a();
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(gate.busy).toBe(true);
    expect(waited.done).toBe(false);
    b();
    await jest.advanceTimersByTimeAsync(100);
    expect(waited.done).toBe(true);
  });

  it('releases at once on abort, and the background queue then refuses to start the task', async () => {
    const gate = createQuietGate({ quietMs: 500, maxDeferMs: 60_000 });
    gate.enter();
    const stop = new AbortController();
    const queue = createBackgroundQueue(1, { gate, signal: stop.signal });
    const task = jest.fn(async () => 'ran');
    const result = queue.run(task).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(task).not.toHaveBeenCalled();
    stop.abort();
    await expect(result).resolves.toBeInstanceOf(BackgroundWorkStoppedError);
    expect(task).not.toHaveBeenCalled();
  });

  it('with quietMs 0 never holds work', async () => {
    const gate = createQuietGate({ quietMs: 0, maxDeferMs: 3_000 });
    gate.enter();
    const waited = track(gate.wait());
    await jest.advanceTimersByTimeAsync(0);
    expect(waited.done).toBe(true);
  });
});

it('a stopped background queue never starts the tasks still waiting for a slot', async () => {
  jest.useRealTimers();
  const stop = new AbortController();
  const queue = createBackgroundQueue(1, { signal: stop.signal });
  let release: () => void = () => undefined;
  const first = queue.run(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
  const waiting = jest.fn(async () => 'second');
  const second = queue.run(waiting).catch((error: unknown) => error);
  await new Promise((resolve) => setImmediate(resolve));
  stop.abort();
  release();
  await expect(first).resolves.toBe('first');
  await expect(second).resolves.toBeInstanceOf(BackgroundWorkStoppedError);
  expect(waiting).not.toHaveBeenCalled();
  expect(queue.size).toEqual({ waiting: 0, running: 0 });
});
