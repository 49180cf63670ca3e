// Lowers this process's CPU priority (Unix nice) for the parts of the engine whose work may wait for the fast path's.
import os from 'node:os';
import type { Logger } from '../log';

export function lowerProcessPriority(nice: number, logger: Logger): void {
  if (nice === 0) return;
  try {
    os.setPriority(nice);
    logger.info({ nice }, 'process priority lowered');
  } catch (error) {
    // Not fatal: where the OS refuses (e.g. a platform without nice), the process runs at normal priority.
    logger.warn({ err: error, nice }, 'could not lower the process priority');
  }
}
