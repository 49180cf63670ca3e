// The scenario's second inference node, which misbehaves on purpose (development only): its own key, derived from the
// deployer key so restarts reuse its journal, funded and registered on the settlement registry like any node; it
// enters the signed allow-list by itself as every development node does. Verification must catch all it serves.
import { EngineError } from '../errors';
import { keccak256, concat, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { fundDevelopmentAccount, registerNodeOnRegistry, registryAddressOf } from '../chain';
import type { EngineConfig } from '../config';
import { inferenceRuntimeFromModels, startInferenceNode, type InferenceNodeHandle } from '../inference-node';
import type { Logger } from '../log';
import type { ModelRuntime } from '../models';
import type { NodeFault } from '../verification';

export class DemoOnlyError extends EngineError<'demo_development_only'> {
  override readonly name = 'DemoOnlyError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('demo_development_only', message, { ...options });
  }
}

export async function startFaultyDemoNode(options: {
  config: EngineConfig;
  logger: Logger;
  models: ModelRuntime;
  faults: NodeFault[];
  port: number;
}): Promise<InferenceNodeHandle> {
  const { config, logger } = options;
  if (config.mode !== 'development')
    throw new DemoOnlyError('the sample scenario and its faulty node run in development mode only');
  const registry = registryAddressOf(config);
  if (!registry) throw new DemoOnlyError('no settlement registry is deployed: run `npx proofpath stack up` first');
  const nodeKey = keccak256(concat([config.keys.deployer as Hex, toHex('proofpath demo faulty node')]));
  const address = privateKeyToAccount(nodeKey).address;
  // Gas for its receipt commitments.
  await fundDevelopmentAccount(config, address);
  await registerNodeOnRegistry(config, registry, address, config.keys.deployer as Hex);
  return startInferenceNode({
    config: { ...config, keys: { ...config.keys, node: nodeKey } },
    logger: logger.child({ node: 'faulty-demo' }),
    runtime: inferenceRuntimeFromModels(options.models),
    port: options.port,
    faults: options.faults,
  });
}
