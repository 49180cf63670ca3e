// Runs the model for one request through the fault hooks (which change nothing on an honest node) and returns both what
// the receipt commits to (the rows as asked, the outputs as returned) and what actually ran, which the prover proves.
import { inputHash, outputHash } from '../models';
import { NodeRequestError } from '../payments';
import type { NodeFaultHooks } from '../verification';
import type { CommittedOutputs, InferenceRuntime } from './runtime';

export type ModelRun = CommittedOutputs & {
  /** The model and rows that really ran (a substitute model under output_for_other_model). */
  ran: { modelId: string; rows: number[][] };
};

export function createModelRunner(runtime: InferenceRuntime, hooks: NodeFaultHooks) {
  return async function runModel(modelId: string, rows: number[][]): Promise<ModelRun> {
    const ranModelId = hooks.modelToRun(modelId);
    const ranRows =
      ranModelId === modelId
        ? rows
        : fitRows(rows, runtime.listModels().find((m) => m.modelId === ranModelId)?.featureCount);
    const result = await runtime.infer(ranModelId, ranRows).catch((error: unknown) => {
      throw new NodeRequestError('inference_failed', `the model runtime failed: ${(error as Error).message}`);
    });
    const outputs = hooks.outputsToReturn(result.outputs);
    // The receipt commits to the request's rows and to the outputs the caller receives, whatever ran: that is the
    // claim a verifier checks. On an honest node these equal the runtime's own hashes.
    const honest = ranModelId === modelId && outputs === result.outputs;
    return {
      outputs,
      inputHash: honest ? result.inputHash : inputHash(rows),
      outputHash: honest ? result.outputHash : outputHash(outputs),
      ran: { modelId: ranModelId, rows: ranRows },
    };
  };
}

/** A substitute model may take another number of features: the cheat pads (with zeros) or cuts each row to fit. */
function fitRows(rows: number[][], width: number | undefined): number[][] {
  if (width === undefined) return rows;
  return rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? 0));
}
