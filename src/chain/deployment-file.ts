// Reads and writes `<stateDir>/contracts.json`; what is read is validated, so a stale or hand-edited file fails loudly.
import { EngineError } from '../errors';
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EngineConfig } from '../config';
import { ChainDeploymentSchema, type ChainDeployment } from '../contracts/chain-deployment';

export class DeploymentFileError extends EngineError<'deployment_file_invalid'> {
  override readonly name = 'DeploymentFileError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('deployment_file_invalid', message, { ...options });
  }
}

export function deploymentFilePath(config: Pick<EngineConfig, 'stateDir'>): string {
  return path.join(config.stateDir, 'contracts.json');
}

/** The recorded deployment, or undefined when none was written yet. */
export function readDeployment(config: Pick<EngineConfig, 'stateDir'>): ChainDeployment | undefined {
  const file = deploymentFilePath(config);
  if (!fs.existsSync(file)) return undefined;
  const parsed = ChainDeploymentSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new DeploymentFileError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function writeDeployment(config: Pick<EngineConfig, 'stateDir'>, deployment: ChainDeployment): string {
  const file = deploymentFilePath(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, `${JSON.stringify(ChainDeploymentSchema.parse(deployment), null, 2)}\n`);
  return file;
}
