// The node's port to a model runtime. The ONNX registry in src/models satisfies it (see ./models-adapter.ts); tests
// may pass a tiny fake. Kept structural and small so the node never depends on how models are loaded.

export type ServedModel = {
  /** Content id (sha256 of the ONNX bytes) the receipt names. */
  modelId: string;
  name?: string;
  /** Feature description published on GET /v1/models (JSON Schema, feature names, ...). */
  schema?: unknown;
  /** Number of features a row must have; lets a fault-injected node fit rows to a substitute model. */
  featureCount?: number;
};

/** What the node's runtime answers: the outputs and the input/output hashes the receipt commits to. */
export type CommittedOutputs = { outputs: number[][]; inputHash: `0x${string}`; outputHash: `0x${string}` };

export interface InferenceRuntime {
  listModels(): ReadonlyArray<ServedModel>;
  /** Problems with the rows for this model's feature schema, or an empty list when they are valid. */
  validateRows(modelId: string, rows: number[][]): string[];
  infer(modelId: string, rows: number[][]): Promise<CommittedOutputs>;
}
