// The port the inference node and the verifiers use to run models; onnx-runtime.ts implements it, tests may fake it.
import type { z } from 'zod';
import type { Hex } from './canonical-hash';
import type { FeatureSpec, ModelEntry, OutputSpec } from './manifest';
import type { ProofSupport } from './user-registry';

export type ModelDescription = {
  /** sha256 hex of the ONNX bytes. */
  id: string;
  /** A built-in model's role name (supplier-risk, ...) or the name a user registered the model under. */
  name: string;
  source: 'built-in' | 'registered';
  /** The verified ONNX file the model was loaded from. */
  file: string;
  /** Registered models only: whether the zk circuit generator covers the model (built-in models always are). */
  proof?: ProofSupport;
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
