// The port the inference node and the verifiers use to run models; onnx-runtime.ts implements it, tests may fake it.
import type { z } from 'zod';
import type { Hex } from './canonical-hash';
import type { ModelName } from './features/feature-order';
import type { FeatureSpec, ModelEntry, OutputSpec } from './manifest';

export type ModelDescription = {
  /** sha256 hex of the ONNX bytes. */
  id: string;
  name: ModelName;
  featureOrder: FeatureSpec[];
  outputs: OutputSpec[];
  opset: number;
  bytes: number;
  priceHint: ModelEntry['priceHint'];
  metrics: ModelEntry['metrics'];
  inputSchema: z.ZodType<number[][]>;
  outputSchema: z.ZodType<number[][]>;
};

/** What one run of a model returns: its outputs and the canonical hashes of the rows it ran on and of the outputs. */
export type ModelRunOutput = {
  modelId: string;
  /** One row per input row, float32 values widened to numbers. */
  outputs: number[][];
  inputHash: Hex;
  outputHash: Hex;
};

export interface ModelRuntime {
  listModels(): ModelDescription[];
  /** Accepts a model id, or a model name for convenience (resolved through the manifest). */
  describe(modelIdOrName: string): ModelDescription;
  /** Runs every row in one batched tensor. Throws ModelNotFoundError or ModelInputError. */
  infer(modelId: string, rows: ReadonlyArray<ReadonlyArray<number>>): Promise<ModelRunOutput>;
  close(): Promise<void>;
}
