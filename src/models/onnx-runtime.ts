// ModelRuntime backed by onnxruntime-node: verified model bytes, one reusable session per model, batched inference.
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { inputHash, outputHash } from './canonical-hash';
import { DEFAULT_MODELS_DIR } from './default-paths';
import { ModelInputError, ModelManifestError, ModelManifestMismatchError, ModelNotFoundError } from './errors';
import { checkDeclaredAgainstGraph } from './graph-check';
import { readOnnxGraph } from './onnx-graph';
import { rowsSchema } from './io-schemas';
import { loadModelManifest, type ModelEntry, type ModelManifest } from './manifest';
import { loadUserModels, type ProofSupport } from './user-registry';
import { readVerifiedModel } from './model-file';
import type { ModelRunOutput, ModelDescription, ModelRuntime } from './runtime-port';

/**
 * Deterministic CPU settings. One thread and sequential execution fix the order of floating-point reductions.
 * Graph optimisation is 'disabled' rather than 'basic': our graphs are already minimal, and fusions or constant
 * folding (e.g. of the Sub/Div standardisation into Gemm) change rounding in ways that depend on the onnxruntime
 * version, whereas a verifier re-executing later, the zkML circuit and the ONNX reference evaluator all compute the
 * graph op by op as written.
 */
export const DETERMINISTIC_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'disabled',
  logSeverityLevel: 3,
};

export type OnnxModelRuntimeOptions = {
  /** Folder holding manifest.json and the model files; defaults to the repository's models/. */
  modelsDir?: string;
  /** Folder of user-registered models (MODELS_DIR; see user-registry.ts), served next to the built-in ones. */
  userModelsDir?: string;
  /** Largest batch accepted by infer (rows). */
  maxBatchRows?: number;
};

/** What the runtime needs of a model, built-in (manifest.json) or registered by a user (registry.json). */
type ServedEntry = Pick<ModelEntry, 'id' | 'input' | 'output' | 'featureOrder' | 'outputs' | 'bytes' | 'priceHint' | 'metrics'> & {
  name: string;
  path: string;
  opset: number;
  source: 'built-in' | 'registered';
  proof?: ProofSupport;
};
type LoadedModel = { entry: ServedEntry; description: ModelDescription; session: ort.InferenceSession };

async function servedEntries(modelsDir: string, userModelsDir: string | undefined): Promise<ServedEntry[]> {
  const manifest: ModelManifest = await loadModelManifest(modelsDir);
  const builtIn = manifest.models.map((e): ServedEntry => ({ ...e, path: path.join(modelsDir, e.file), source: 'built-in' }));
  const user = userModelsDir ? await loadUserModels(userModelsDir) : [];
  const registered = user.map((e): ServedEntry => ({
    ...e, path: path.join(userModelsDir as string, e.file), opset: e.opsets['ai.onnx'] ?? 0, metrics: [], source: 'registered',
  }));
  return [...builtIn, ...registered.filter((r) => !builtIn.some((b) => b.id === r.id))];
}

/**
 * Loads every built-in model and every registered one, refusing any whose bytes do not hash to its id
 * (ModelIntegrityError) or whose declared input or output disagrees with the graph (ModelManifestMismatchError).
 */
export async function createOnnxModelRuntime(options: OnnxModelRuntimeOptions = {}): Promise<ModelRuntime> {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const maxBatchRows = options.maxBatchRows ?? 1024;
  const byId = new Map<string, LoadedModel>();
  try {
    for (const entry of await servedEntries(modelsDir, options.userModelsDir)) {
      const bytes = await readVerifiedModel(entry.path, entry.id);
      // Every declared name, type and dimension against the graph itself, before a session exists to answer with.
      checkDeclaredAgainstGraph(entry, readOnnxGraph(bytes), entry.id);
      if (entry.featureOrder.length !== entry.input.shape[1]) throw new ModelManifestMismatchError('featureOrder', entry.featureOrder.length, entry.input.shape[1], entry.id);
      if (entry.outputs.length !== entry.output.shape[1]) throw new ModelManifestMismatchError('outputs', entry.outputs.length, entry.output.shape[1], entry.id);
      const session = await ort.InferenceSession.create(bytes, DETERMINISTIC_SESSION_OPTIONS);
      byId.set(entry.id, { entry, session, description: describeEntry(entry, maxBatchRows) });
    }
  } catch (error) {
    await Promise.all([...byId.values()].map((m) => m.session.release()));
    throw error;
  }
  const byName = new Map([...byId.values()].map((m) => [m.entry.name, m.entry.id]));

  const lookup = (modelIdOrName: string): LoadedModel => {
    const model = byId.get(modelIdOrName) ?? byId.get(byName.get(modelIdOrName) ?? '');
    if (!model) throw new ModelNotFoundError(modelIdOrName);
    return model;
  };

  return {
    listModels: () => [...byId.values()].map((m) => m.description),
    describe: (modelIdOrName) => lookup(modelIdOrName).description,
    async infer(modelId, rows): Promise<ModelRunOutput> {
      const model = byId.get(modelId);
      if (!model) throw new ModelNotFoundError(modelId);
      const checked = model.description.inputSchema.safeParse(rows);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new ModelInputError(`rows${(issue?.path ?? []).map((p) => `[${String(p)}]`).join('')}`, issue?.message ?? 'invalid');
      }
      const width = model.entry.input.shape[1];
      const data = Float32Array.from(checked.data.flat());
      const feeds = { [model.entry.input.name]: new ort.Tensor('float32', data, [checked.data.length, width]) };
      const result = await model.session.run(feeds);
      const outputs = toRows(result[model.entry.output.name], model.entry);
      return { modelId, outputs, inputHash: inputHash(checked.data), outputHash: outputHash(outputs) };
    },
    async close() {
      await Promise.all([...byId.values()].map((m) => m.session.release()));
      byId.clear();
    },
  };
}

function describeEntry(entry: ServedEntry, maxBatchRows: number): ModelDescription {
  return {
    id: entry.id,
    name: entry.name,
    source: entry.source,
    file: entry.path,
    ...(entry.proof ? { proof: entry.proof } : {}),
    featureOrder: entry.featureOrder,
    outputs: entry.outputs,
    opset: entry.opset,
    bytes: entry.bytes,
    priceHint: entry.priceHint,
    metrics: entry.metrics,
    inputSchema: rowsSchema(entry.input.shape[1], maxBatchRows),
    outputSchema: rowsSchema(entry.output.shape[1], maxBatchRows),
  };
}

function toRows(tensor: ort.Tensor | undefined, entry: ServedEntry): number[][] {
  if (!tensor || tensor.type !== 'float32') {
    throw new ModelManifestError(`model ${entry.name} has no float32 output named ${entry.output.name}`, { modelId: entry.id });
  }
  const width = entry.output.shape[1];
  // The graph was checked at load; this guards the runtime's answer too, so a width never reshapes rows silently.
  if (tensor.dims.length !== 2 || tensor.dims[1] !== width) throw new ModelManifestMismatchError('output.shape', entry.output.shape, tensor.dims, entry.id);
  const values = tensor.data as Float32Array;
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += width) rows.push(Array.from(values.subarray(i, i + width)));
  return rows;
}
