// The embedded development stack: up (idempotent), down, status and logs over Temporal, Kafka and anvil.
// `up` shows each step with its elapsed time; when a step fails it says which, names its log, and stops what this
// `up` started (services that were already running are left alone), so a failed first run leaves no stray processes.
import fs from 'node:fs';
import path from 'node:path';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { createLoggingStepReporter, type StepReporter } from '../terminal';
import { failureExcerpt, runningPid, spawnDetached, stopByPid, tailFile, waitUntil } from './process';
import type { StackPaths, StackService } from './service';
import { anvilService } from './services/anvil';
import { kafkaService } from './services/kafka';
import { temporalService } from './services/temporal';

export const STACK_SERVICES: StackService[] = [anvilService, kafkaService, temporalService];

export type ServiceState = 'running' | 'unhealthy' | 'external' | 'stopped';
export type ServiceStatus = {
  name: StackService['name'];
  state: ServiceState;
  pid?: number;
  description: string;
  logFile: string;
};

export type StackUpOptions = { steps?: StepReporter; signal?: AbortSignal };

export function stackPaths(config: EngineConfig, service: StackService['name']): StackPaths {
  const root = path.join(config.stateDir, 'stack');
  return {
    root,
    pidFile: path.join(root, 'run', `${service}.pid`),
    logFile: path.join(root, 'logs', `${service}.log`),
    installLogFile: path.join(root, 'logs', `${service}-install.log`),
    dataDir: path.join(root, 'data', service),
  };
}

async function isHealthy(service: StackService, config: EngineConfig): Promise<boolean> {
  return service.healthy(config).catch(() => false);
}

export async function serviceStatus(service: StackService, config: EngineConfig): Promise<ServiceStatus> {
  const paths = stackPaths(config, service.name);
  const pid = runningPid(paths.pidFile);
  const healthy = await isHealthy(service, config);
  const state: ServiceState =
    pid !== undefined ? (healthy ? 'running' : 'unhealthy') : healthy ? 'external' : 'stopped';
  return { name: service.name, state, pid, description: service.describe(config), logFile: paths.logFile };
}

/**
 * Starts one service unless it is already running (ours or someone else's) and waits until it is healthy.
 * `started` is true when this call launched the process, so a failure later in `up` knows to stop it.
 */
async function startService(
  service: StackService,
  config: EngineConfig,
  logger: Logger,
  steps: StepReporter,
  signal?: AbortSignal,
): Promise<ServiceStatus & { started: boolean }> {
  const status = await serviceStatus(service, config);
  if (status.state === 'running' || status.state === 'external') {
    steps.say(
      `✔ ${service.name}: already ${status.state === 'running' ? 'running' : 'served on its port by another process'}`,
    );
    return { ...status, started: false };
  }
  const paths = stackPaths(config, service.name);
  if (status.state === 'unhealthy') {
    // Still starting from an earlier `up`, or hung: give it its start time, then restart it.
    const recovered = await steps
      .run(`${service.name}: waiting for the instance started earlier (pid ${status.pid})`, (step) =>
        waitUntil(service.name, () => isHealthy(service, config), service.startTimeoutMs, {
          signal,
          isStillStarting: () => runningPid(paths.pidFile) !== undefined,
          onWait: (ms) => step.progress({ done: ms, total: service.startTimeoutMs }),
        }),
      )
      .then(
        () => true,
        () => false,
      );
    if (recovered) return { ...(await serviceStatus(service, config)), started: false };
    await stopByPid(paths.pidFile);
  }
  if (service.needsInstall(config)) {
    await steps.run(service.installTitle, (step) => service.ensureInstalled(config, { logger, step, paths, signal }), {
      logFile: paths.installLogFile,
    });
  } else {
    await service.ensureInstalled(config, { logger, step: { progress() {} }, paths, signal });
  }
  fs.mkdirSync(paths.dataDir, { recursive: true });
  return steps.run(
    `${service.name}: starting`,
    async (step) => {
      const { command, args, env } = await service.command(config, paths, logger);
      const pid = spawnDetached({ command, args, env, pidFile: paths.pidFile, logFile: paths.logFile });
      logger.debug({ service: service.name, pid, logFile: paths.logFile }, 'started');
      try {
        await waitUntil(service.name, () => isHealthy(service, config), service.startTimeoutMs, {
          signal,
          isStillStarting: () => runningPid(paths.pidFile) !== undefined,
          onWait: (ms) =>
            step.progress({
              note: `pid ${pid}, waiting for it to answer (up to ${Math.round(service.startTimeoutMs / 1000)} s)`,
              done: ms,
              total: service.startTimeoutMs,
            }),
        });
      } catch (error) {
        await stopByPid(paths.pidFile);
        throw new Error(`${(error as Error).message}; from its log:\n${failureExcerpt(paths.logFile)}`);
      }
      return { ...(await serviceStatus(service, config)), started: true };
    },
    { logFile: paths.logFile, summary: (s) => s.description },
  );
}

/** Brings every service up in order; on failure or interruption stops the services this call started, then rethrows. */
export async function stackUp(
  config: EngineConfig,
  logger: Logger,
  options: StackUpOptions = {},
): Promise<ServiceStatus[]> {
  const steps = options.steps ?? createLoggingStepReporter(logger);
  const statuses: Array<ServiceStatus & { started: boolean }> = [];
  try {
    // Sequential: on two cores the JVM and the Go server starting together slow each other down more than they overlap.
    for (const service of STACK_SERVICES) {
      if (options.signal?.aborted) throw new Error('stack start interrupted');
      statuses.push(await startService(service, config, logger, steps, options.signal));
    }
  } catch (error) {
    const ours = statuses.filter((s) => s.started).reverse();
    for (const status of ours) await stopByPid(stackPaths(config, status.name).pidFile).catch(() => undefined);
    if (ours.length > 0) steps.say(`stopped what this start launched: ${ours.map((s) => s.name).join(', ')}`);
    throw error;
  }
  return statuses.map(({ started: _started, ...status }) => status);
}

export async function stackDown(config: EngineConfig, logger: Logger): Promise<void> {
  for (const service of [...STACK_SERVICES].reverse()) {
    const result = await stopByPid(stackPaths(config, service.name).pidFile);
    logger.info({ service: service.name, result }, 'stop');
  }
}

export async function stackStatus(config: EngineConfig): Promise<ServiceStatus[]> {
  return Promise.all(STACK_SERVICES.map((service) => serviceStatus(service, config)));
}

export function stackLogs(config: EngineConfig, name: string | undefined, lines: number): string {
  return STACK_SERVICES.filter((s) => name === undefined || s.name === name)
    .map(
      (s) =>
        `==> ${s.name} (${stackPaths(config, s.name).logFile}) <==\n${tailFile(stackPaths(config, s.name).logFile, lines)}`,
    )
    .join('\n\n');
}
