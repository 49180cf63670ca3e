// What every embedded service provides to the stack orchestrator.
import type { EngineConfig } from '../config';
import type { Logger } from '../log';

export type StackPaths = { root: string; pidFile: string; logFile: string; dataDir: string };

export type StackService = {
  name: 'temporal' | 'kafka' | 'anvil';
  /** What it is and where, for `stack status`. */
  describe(config: EngineConfig): string;
  /** Builds or downloads the binary into the cache directory once; later calls reuse it. */
  ensureInstalled(config: EngineConfig, logger: Logger): Promise<void>;
  /** Returns the command that runs the service in the foreground (the stack detaches it). */
  command(config: EngineConfig, paths: StackPaths, logger: Logger): Promise<{ command: string; args: string[]; env?: NodeJS.ProcessEnv }>;
  healthy(config: EngineConfig): Promise<boolean>;
  startTimeoutMs: number;
};
