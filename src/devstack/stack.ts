// The embedded development stack: up (idempotent), down, status and logs over Temporal, Kafka and anvil.
import fs from 'node:fs';
import path from 'node:path';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { runningPid, spawnDetached, stopByPid, tailFile, waitUntil } from './process';
import type { StackPaths, StackService } from './service';
import { anvilService } from './services/anvil';
import { kafkaService } from './services/kafka';
import { temporalService } from './services/temporal';

export const STACK_SERVICES: StackService[] = [anvilService, kafkaService, temporalService];

export type ServiceState = 'running' | 'unhealthy' | 'external' | 'stopped';
export type ServiceStatus = { name: StackService['name']; state: ServiceState; pid?: number; description: string; logFile: string };

export function stackPaths(config: EngineConfig, service: StackService['name']): StackPaths {
  const root = path.join(config.stateDir, 'stack');
  return {
    root,
    pidFile: path.join(root, 'run', `${service}.pid`),
    logFile: path.join(root, 'logs', `${service}.log`),
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
  const state: ServiceState = pid !== undefined ? (healthy ? 'running' : 'unhealthy') : healthy ? 'external' : 'stopped';
  return { name: service.name, state, pid, description: service.describe(config), logFile: paths.logFile };
}

/** Starts one service unless it is already running (ours or someone else's); waits until it is healthy. */
async function startService(service: StackService, config: EngineConfig, logger: Logger): Promise<ServiceStatus> {
  const status = await serviceStatus(service, config);
  if (status.state === 'running' || status.state === 'external') return status;
  const paths = stackPaths(config, service.name);
  if (status.state === 'unhealthy') {
    // Still starting from an earlier `up`, or hung: give it its start time, then restart it.
    const recovered = await waitUntil(service.name, () => isHealthy(service, config), service.startTimeoutMs).then(() => true, () => false);
    if (recovered) return serviceStatus(service, config);
    await stopByPid(paths.pidFile);
  }
  await service.ensureInstalled(config, logger);
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const { command, args, env } = await service.command(config, paths, logger);
  const pid = spawnDetached({ command, args, env, pidFile: paths.pidFile, logFile: paths.logFile });
  logger.info({ service: service.name, pid, logFile: paths.logFile }, 'started');
  try {
    await waitUntil(service.name, () => isHealthy(service, config), service.startTimeoutMs, () => runningPid(paths.pidFile) !== undefined);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last log lines:\n${tailFile(paths.logFile, 20)}`);
  }
  return serviceStatus(service, config);
}

export async function stackUp(config: EngineConfig, logger: Logger): Promise<ServiceStatus[]> {
  // Sequential: on two cores the JVM and the Go server starting together slow each other down more than they overlap.
  const statuses: ServiceStatus[] = [];
  for (const service of STACK_SERVICES) statuses.push(await startService(service, config, logger));
  return statuses;
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
    .map((s) => `==> ${s.name} (${stackPaths(config, s.name).logFile}) <==\n${tailFile(stackPaths(config, s.name).logFile, lines)}`)
    .join('\n\n');
}
