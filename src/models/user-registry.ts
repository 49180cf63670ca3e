// The registry of models users add (`proofpath models add`): MODELS_DIR/registry.json plus one <id>.onnx per model.
// Adding inspects the graph, checks the declared feature schema and output against it, and records the entry; loading
// checks every entry against its bytes again (src/models/onnx-runtime.ts), so an edited registry cannot reshape answers.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { ModelFileError, ModelManifestError, ModelManifestMismatchError, ModelRegistryError } from './errors';
import { MODEL_NAMES } from './features/feature-order';
import { checkDeclaredAgainstGraph } from './graph-check';
import { modelIdOf } from './model-file';
import { readOnnxGraph, type OnnxGraph } from './onnx-graph';

const FeatureSchema = z.object({
  name: z.string().min(1),
  unit: z.string().default('unspecified'),
  // float32's range: a feature the user did not bound is still a finite float32.
  min: z.number().default(-3.4e38),
  max: z.number().default(3.4e38),
  description: z.string().default(''),
});
const TensorSchema = z.object({ name: z.string(), type: z.literal('float32'), shape: z.tuple([z.literal('N'), z.number().int().positive()]) });

/** Whether the zk proof covers the model; `unsupported` says at which step and what blocked it (never a silent pass). */
export const ProofSupportSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('supported'), family: z.string() }),
  z.object({ status: z.literal('unsupported'), step: z.string(), reason: z.string(), operator: z.string().optional(), tensor: z.string().optional() }),
]);
export type ProofSupport = z.infer<typeof ProofSupportSchema>;

export const UserModelEntrySchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase letters, digits, . _ - (at most 63)'),
  id: z.string().regex(/^[0-9a-f]{64}$/),
  file: z.string(),
  bytes: z.number().int().positive(),
  irVersion: z.number().int(),
  opsets: z.record(z.string(), z.number().int()),
  producer: z.string(),
  operators: z.array(z.string()),
  input: TensorSchema,
  output: TensorSchema,
  featureOrder: z.array(FeatureSchema).min(1),
  outputs: z.array(z.object({ name: z.string().min(1), unit: z.string().default('unspecified'), description: z.string().default('') })).min(1),
  /** Graph outputs the engine does not serve (a classifier's int64 label, say), each with the reason. */
  omittedOutputs: z.array(z.object({ name: z.string(), reason: z.string() })),
  proof: ProofSupportSchema,
  priceHint: z.object({ amount: z.string(), asset: z.string(), per: z.string() }).default({ amount: '0.001', asset: 'USDC', per: 'request' }),
  registeredAt: z.string(),
});
export type UserModelEntry = z.infer<typeof UserModelEntrySchema>;
const RegistrySchema = z.object({ schemaVersion: z.literal(1), models: z.array(UserModelEntrySchema) });

export const REGISTRY_FILE = 'registry.json';

/** The registered models, or none when the folder or file does not exist yet. */
export async function loadUserModels(dir: string): Promise<UserModelEntry[]> {
  const file = path.join(dir, REGISTRY_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ModelManifestError(`cannot read ${file}: ${error.message}`, { file });
  });
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelManifestError(`${file} is not valid JSON`, { file, cause: String(error) });
  }
  const parsed = RegistrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelManifestError(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { file, field: issue?.path.join('.') });
  }
  return parsed.data.models;
}

export type AddModelRequest = {
  /** Path of the .onnx file to register (copied into the registry folder under its id). */
  file: string;
  name: string;
  /** Feature schema, in column order. */
  features: Array<z.input<typeof FeatureSchema>>;
  /** The graph output to serve; default: the graph's only float32 tensor output. */
  output?: string;
  /** Names of the served output's columns; default `<output>[k]`. */
  columns?: string[];
  /** Decides whether the zk circuit generator covers this graph (the verification/proof module, injected by the CLI). */
  proofSupport(bytes: Uint8Array): ProofSupport | Promise<ProofSupport>;
  now?: () => Date;
};

/** The served input and output as the graph declares them; refuses graphs the engine cannot serve, naming why. */
export function servedTensors(graph: OnnxGraph, outputName?: string) {
  const [input, ...more] = graph.inputs;
  if (!input || more.length > 0) throw new ModelFileError(`the engine serves models with one input; this one has ${graph.inputs.length} (${graph.inputs.map((i) => i.name).join(', ')})`);
  const matrix = (v: { kind: string; elementType: string; shape: Array<number | string> }) => v.kind === 'tensor' && v.elementType === 'float32' && v.shape.length === 2 && typeof v.shape[0] === 'string' && typeof v.shape[1] === 'number';
  if (!matrix(input)) throw new ModelFileError(`input ${input.name} is ${input.elementType} ${JSON.stringify(input.shape)}; the engine serves float32 [N, features]`, { field: 'input' });
  const floats = graph.outputs.filter(matrix);
  const output = outputName === undefined ? (floats.length === 1 ? floats[0] : undefined) : graph.outputs.find((o) => o.name === outputName);
  if (!output) {
    throw outputName === undefined
      ? new ModelFileError(`choose the output to serve with --output: float32 [N, k] outputs are ${floats.map((o) => o.name).join(', ') || 'none'}`, { field: 'output' })
      : new ModelManifestMismatchError('output.name', outputName, graph.outputs.map((o) => o.name));
  }
  if (!matrix(output)) throw new ModelManifestMismatchError('output.type', 'float32 [N, k]', `${output.kind === 'tensor' ? output.elementType : output.kind} ${JSON.stringify(output.shape)}`);
  return {
    input: { name: input.name, type: 'float32' as const, shape: ['N', input.shape[1] as number] as ['N', number] },
    output: { name: output.name, type: 'float32' as const, shape: ['N', output.shape[1] as number] as ['N', number] },
  };
}

/** Registers (or re-registers, same id) a model. Throws ModelManifestMismatchError naming the field that disagrees. */
export async function addUserModel(dir: string, request: AddModelRequest): Promise<UserModelEntry> {
  const bytes = await readFile(request.file).catch((error: Error) => {
    throw new ModelFileError(`cannot read ${request.file}: ${error.message}`, { file: request.file });
  });
  const id = modelIdOf(bytes);
  const graph = readOnnxGraph(bytes);
  const served = servedTensors(graph, request.output);
  if (request.features.length !== served.input.shape[1]) throw new ModelManifestMismatchError('inputs', request.features.length, served.input.shape[1], id);
  const width = served.output.shape[1];
  const columns = request.columns ?? Array.from({ length: width }, (_, k) => `${served.output.name}[${k}]`);
  if (columns.length !== width) throw new ModelManifestMismatchError('output.columns', columns.length, width, id);
  const existing = await loadUserModels(dir);
  if ((MODEL_NAMES as readonly string[]).includes(request.name)) throw new ModelRegistryError('model_name_taken', `${request.name} is a built-in model's name; choose another`, { name: request.name });
  const clash = existing.find((m) => m.name === request.name && m.id !== id);
  if (clash) throw new ModelRegistryError('model_name_taken', `${request.name} already names model ${clash.id}`, { name: request.name, id: clash.id });
  const candidate = {
    name: request.name,
    id,
    file: `${id}.onnx`,
    bytes: bytes.length,
    irVersion: graph.irVersion,
    opsets: graph.opsets,
    producer: graph.producer,
    operators: graph.operators,
    ...served,
    featureOrder: request.features,
    outputs: columns.map((name) => ({ name })),
    omittedOutputs: graph.outputs.filter((o) => o.name !== served.output.name).map((o) => ({ name: o.name, reason: o.kind === 'tensor' ? `${o.elementType} ${JSON.stringify(o.shape)}: not the served float32 output` : `${o.kind} output: the engine serves tensors only` })),
    proof: await request.proofSupport(bytes),
    registeredAt: (request.now ?? (() => new Date()))().toISOString(),
  };
  const parsed = UserModelEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelManifestError(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { field: issue?.path.join('.') });
  }
  const entry = parsed.data;
  checkDeclaredAgainstGraph(entry, graph, id);
  await mkdir(dir, { recursive: true });
  await copyFile(request.file, path.join(dir, entry.file));
  const models = [...existing.filter((m) => m.id !== id), entry];
  // Write then rename: a reader never sees half a registry.
  const file = path.join(dir, REGISTRY_FILE);
  await writeFileAtomic(file, `${JSON.stringify({ schemaVersion: 1, models }, null, 2)}\n`);
  return entry;
}

/** The directory `proofpath models add` writes to and nodes and verifiers read: MODELS_DIR, else <stateDir>/models. */
export function userModelsDirOf(config: { stateDir: string; models: { dir?: string } }): string {
  return config.models.dir ?? path.join(config.stateDir, 'models');
}
