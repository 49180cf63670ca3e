// Runs one check under its own deadline; a check that overruns is reported as `timeout`, never as pass or fail.
import type { CheckResult } from '../../contracts';
import type { CheckOutcome } from '../reasons';

export async function runCheck(
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<CheckOutcome<string>>,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check(controller.signal), deadline]);
    const durationMs = Math.round(performance.now() - started);
    if (outcome === 'timeout') {
      controller.abort();
      return { status: 'timeout', reason: 'check_timeout', detail: `no result within ${timeoutMs} ms`, durationMs };
    }
    return outcome.ok
      ? { status: 'pass', durationMs }
      : { status: 'fail', reason: outcome.reason, detail: outcome.detail, durationMs };
  } catch (error) {
    const e = error as { code?: string; message: string };
    return {
      status: 'fail',
      reason: e.code ?? 'check_error',
      detail: e.message,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}
