// What every embedded service provides to the stack orchestrator.
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import type { Step } from '../terminal';

export type StackPaths = { root: string; pidFile: string; logFile: string; dataDir: string; installLogFile: string };

/** What a one-time install gets: where to log, how to report progress, and a signal that cancels it. */
export type InstallContext = { logger: Logger; step: Step; paths: StackPaths; signal?: AbortSignal };

export type StackService = {
  name: 'temporal' | 'kafka' | 'anvil';
  /** What it is and where, for `stack status`. */
  describe(config: EngineConfig): string;
  /** Whether the one-time install is still to do (it is then shown as its own step). */
  needsInstall(config: EngineConfig): boolean;
  /** What the install does, for its step line. */
  installTitle: string;
  /** Builds or downloads the binary into the cache directory once; later calls reuse it. */
  ensureInstalled(config: EngineConfig, context: InstallContext): Promise<void>;
  /** Returns the command that runs the service in the foreground (the stack detaches it). */
  command(
    config: EngineConfig,
    paths: StackPaths,
    logger: Logger,
  ): Promise<{ command: string; args: string[]; env?: NodeJS.ProcessEnv }>;
  /** One health probe; the stack gives each probe its own deadline. */
  healthy(config: EngineConfig): Promise<boolean>;
  /**
   * How long a start may take before it counts as failed. Sized for a cold first start on 2 cores: an empty SQLite
   * file (Temporal creates its schema), a freshly formatted KRaft log (Kafka), a JVM without a warm page cache.
   */
  startTimeoutMs: number;
};
