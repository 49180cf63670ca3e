// `proofpath node [--faults a,b] [--substitute-model <id>]`: the inference node serving the ONNX registry behind x402
// on INFERENCE_NODE_PORT, with attestation and proofs for verifiers. The flags (like NODE_FAULTS and
// NODE_FAULT_SUBSTITUTE_MODEL, which they override) make it misbehave on purpose: tests and demos only.
import { parseArgs } from 'node:util';
import { inferenceRuntimeFromModels, NodeStartError, startInferenceNode } from '../../inference-node';
import { createOnnxModelRuntime, userModelsDirOf } from '../../models';
import { startTracing } from '../../observability';
import { FAULT_CATALOGUE, parseFaults, type NodeFault } from '../../verification';
import type { Command } from '../command';

function faultArgs(args: string[]): { faults?: NodeFault[]; substituteModelId?: string } {
  const { values } = parseArgs({
    args,
    options: { faults: { type: 'string' }, 'substitute-model': { type: 'string' } },
    strict: true,
  });
  try {
    return {
      faults: values.faults === undefined ? undefined : parseFaults(values.faults),
      substituteModelId: values['substitute-model'],
    };
  } catch (error) {
    throw new NodeStartError('node_faults_unknown', (error as Error).message);
  }
}

export const nodeCommand: Command = {
  name: 'node',
  summary:
    'run the inference node: x402-paid inference with signed receipts, attestation and proofs (--faults a,b for demos)',
  keys: ['node'],
  async run({ config, logger, args }) {
    const { faults, substituteModelId } = faultArgs(args);
    const tracing = startTracing(config, 'node');
    const effective = faults ?? config.verification.nodeFaults;
    if (effective.length > 0) {
      logger.warn(
        {
          faults: effective,
          from: faults ? '--faults' : 'NODE_FAULTS',
          caughtBy: Object.fromEntries(effective.map((f) => [f, FAULT_CATALOGUE[f as NodeFault]?.caughtBy])),
        },
        'THIS NODE IS FAULTY ON PURPOSE: its answers will fail verification (tests and demos only)',
      );
    }
    const models = await createOnnxModelRuntime({ userModelsDir: userModelsDirOf(config) });
    const node = await startInferenceNode({
      config,
      logger,
      runtime: inferenceRuntimeFromModels(models),
      faults,
      substituteModelId,
      processMetrics: true,
    }).catch(async (error: unknown) => {
      await models.close();
      throw error;
    });
    return async () => {
      await node.close();
      await models.close();
      await tracing?.forceFlush();
    };
  },
};
