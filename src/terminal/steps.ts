// Long start-up work shown as one line per step with its elapsed time, a spinner or progress bar while it runs, and
// on failure what failed and where its log is. Human output for a terminal or a CI log; JSON log lines for machines.
import { EngineError } from '../errors';
import type { Writable } from 'node:stream';
import type { Logger } from '../log';
import { formatDuration, progressBar } from './format';

export type StepProgress = { done?: number; total?: number; note?: string };
export type Step = { progress(progress: StepProgress): void };

export type StepOptions<T> = {
  /** Where the work's own output goes: named when the step fails. */
  logFile?: string;
  /** A few words on the result, shown on the done line. */
  summary?: (result: T) => string | undefined;
};

export type StepReporter = {
  run<T>(title: string, work: (step: Step) => Promise<T>, options?: StepOptions<T>): Promise<T>;
  /** A line of its own between steps. */
  say(text: string): void;
};

/** A step that failed: the title, how long it ran, its log and the underlying error. */
export class StepFailedError extends EngineError<'step_failed'> {
  override readonly name = 'StepFailedError';
  constructor(
    readonly step: string,
    readonly elapsedMs: number,
    readonly logFile: string | undefined,
    override readonly cause: unknown,
  ) {
    super(
      'step_failed',
      `${step} failed after ${formatDuration(elapsedMs)}: ${cause instanceof Error ? cause.message : String(cause)}${logFile ? `\n  log: ${logFile}` : ''}`,
    );
  }
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function describeProgress(progress: StepProgress): string {
  const parts: string[] = [];
  if (progress.total !== undefined && progress.total > 0 && progress.done !== undefined)
    parts.push(progressBar(progress.done / progress.total, 20));
  else if (progress.done !== undefined) parts.push(String(progress.done));
  if (progress.note) parts.push(progress.note);
  return parts.join(' ');
}

/** For people: in place on a terminal, a line per step (and a progress line every `plainEveryMs`) elsewhere. */
export function createHumanStepReporter(
  stream: Writable & { isTTY?: boolean; columns?: number },
  options: { plainEveryMs?: number } = {},
): StepReporter {
  const interactive = stream.isTTY === true;
  const plainEveryMs = options.plainEveryMs ?? 15_000;
  const fit = (line: string) => (interactive && stream.columns ? line.slice(0, stream.columns - 1) : line);

  return {
    say(text) {
      stream.write(`${text}\n`);
    },
    async run(title, work, stepOptions = {}) {
      const started = Date.now();
      let current: StepProgress = {};
      let frame = 0;
      let lastPlain = started;
      const render = () =>
        `${SPINNER[frame++ % SPINNER.length]} ${title}  ${formatDuration(Date.now() - started)}  ${describeProgress(current)}`.trimEnd();
      // In a log, a step that ends within a couple of seconds gets only its done line.
      let announced = false;
      const timer = setInterval(
        () => {
          if (interactive) stream.write(`\r\u001b[2K${fit(render())}`);
          else if (!announced && Date.now() - started >= 2_000) {
            announced = true;
            stream.write(`▸ ${title}\n`);
          } else if (Date.now() - lastPlain >= plainEveryMs) {
            lastPlain = Date.now();
            stream.write(`  … ${formatDuration(Date.now() - started)} ${describeProgress(current)}\n`);
          }
        },
        interactive ? 120 : 1_000,
      );
      timer.unref();
      const finish = (mark: string, text: string) =>
        stream.write(`${interactive ? '\r\u001b[2K' : ''}${mark} ${text}\n`);
      try {
        const result = await work({ progress: (progress) => void (current = { ...current, ...progress }) });
        clearInterval(timer);
        const summary = stepOptions.summary?.(result);
        finish('✔', `${title} (${formatDuration(Date.now() - started)})${summary ? `  ${summary}` : ''}`);
        return result;
      } catch (error) {
        clearInterval(timer);
        const failure =
          error instanceof StepFailedError
            ? error
            : new StepFailedError(title, Date.now() - started, stepOptions.logFile, error);
        finish('✖', failure.message);
        throw failure;
      }
    },
  };
}

/** For machines (`--log-format json`): a log line when a step starts, every `progressEveryMs` while it runs, and when it ends. */
export function createLoggingStepReporter(logger: Logger, options: { progressEveryMs?: number } = {}): StepReporter {
  const progressEveryMs = options.progressEveryMs ?? 15_000;
  return {
    say(text) {
      logger.info(text);
    },
    async run(title, work, stepOptions = {}) {
      const started = Date.now();
      let current: StepProgress = {};
      logger.info({ step: title }, 'step started');
      const timer = setInterval(
        () => logger.info({ step: title, elapsedMs: Date.now() - started, ...current }, 'step running'),
        progressEveryMs,
      );
      timer.unref();
      try {
        const result = await work({ progress: (progress) => void (current = { ...current, ...progress }) });
        logger.info(
          { step: title, elapsedMs: Date.now() - started, summary: stepOptions.summary?.(result) },
          'step done',
        );
        return result;
      } catch (error) {
        const failure =
          error instanceof StepFailedError
            ? error
            : new StepFailedError(title, Date.now() - started, stepOptions.logFile, error);
        logger.error(
          { step: title, elapsedMs: failure.elapsedMs, logFile: failure.logFile, err: failure.cause },
          'step failed',
        );
        throw failure;
      } finally {
        clearInterval(timer);
      }
    },
  };
}
