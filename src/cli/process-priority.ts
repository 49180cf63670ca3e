// Lowers this process's CPU priority (Unix nice) for the parts of the engine whose work may wait for the fast path's.
import fs from 'node:fs';
import os from 'node:os';
import type { Logger } from '../log';

export function lowerProcessPriority(nice: number, logger: Logger): void {
  if (nice === 0) return;
  try {
    os.setPriority(nice);
    const others = lowerOtherThreads(nice);
    logger.info({ nice, threads: others + 1 }, 'process priority lowered');
  } catch (error) {
    // Not fatal: where the OS refuses (e.g. a platform without nice), the process runs at normal priority.
    logger.warn({ err: error, nice }, 'could not lower the process priority');
  }
}

/**
 * On Linux a nice value belongs to a thread: os.setPriority lowers only the calling one, and only threads started
 * afterwards inherit it. The threads Node started before the process's code ran (V8's garbage-collector and compiler
 * helpers, the module loader's thread) stayed at nice 0: measured, about 76 ms of CPU per decision of the verifier's
 * work still competed with the fast path. Each thread is lowered by its id (/proc/self/task); elsewhere this does
 * nothing. Returns how many threads it lowered.
 */
export function lowerOtherThreads(nice: number): number {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    if (Number(tid) === process.pid) continue;
    try {
      os.setPriority(Number(tid), nice);
      lowered += 1;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return lowered;
}
