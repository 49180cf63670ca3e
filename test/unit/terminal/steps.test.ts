// Step lines: one done line per step with its time, a failure that names the step and its log, progress in a log.
import { PassThrough } from 'node:stream';
import { createHumanStepReporter, StepFailedError } from '../../../src/terminal';

function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  return { stream, text: () => text };
}

describe('human step reporter', () => {
  it('prints a done line with the elapsed time and the summary', async () => {
    const out = capture();
    const steps = createHumanStepReporter(out.stream);
    await expect(steps.run('kafka: topics', async () => 3, { summary: (n) => `${n} topics` })).resolves.toBe(3);
    expect(out.text()).toMatch(/^✔ kafka: topics \(\d+ ms\) {2}3 topics\n$/);
  });

  it('names the failed step, its elapsed time and its log, and rethrows a StepFailedError', async () => {
    const out = capture();
    const steps = createHumanStepReporter(out.stream);
    const failure = await steps
      .run('temporal: starting', async () => Promise.reject(new Error('did not become healthy')), {
        logFile: '/state/temporal.log',
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepFailedError);
    expect(failure).toMatchObject({ step: 'temporal: starting', logFile: '/state/temporal.log', code: 'step_failed' });
    expect(out.text()).toMatch(
      /✖ temporal: starting failed after \d+ ms: did not become healthy\n {2}log: \/state\/temporal\.log\n/,
    );
  });

  it('does not wrap a failure twice when steps nest', async () => {
    const out = capture();
    const steps = createHumanStepReporter(out.stream);
    const failure = await steps
      .run('outer', () => steps.run('inner', async () => Promise.reject(new Error('boom'))))
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ step: 'inner' });
  });

  it('in a log, announces a long step and reports its progress now and then', async () => {
    jest.useFakeTimers();
    try {
      const out = capture();
      const steps = createHumanStepReporter(out.stream, { plainEveryMs: 5_000 });
      let finish!: () => void;
      const running = steps.run('temporal: building', (step) => {
        step.progress({ done: 649, total: 1298, note: '649 packages compiled' });
        return new Promise<void>((resolve) => (finish = resolve));
      });
      await jest.advanceTimersByTimeAsync(6_000);
      finish();
      await running;
      expect(out.text()).toContain('▸ temporal: building\n');
      expect(out.text()).toMatch(/ {2}… [\d.]+ s \[█{10}░{10}\] {2}50% 649 packages compiled\n/);
      expect(out.text()).toMatch(/✔ temporal: building \(6\.0 s\)\n$/);
    } finally {
      jest.useRealTimers();
    }
  });
});
