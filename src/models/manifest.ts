// Schema and loader of models/manifest.json, the list that maps each model name to its content id and file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ModelManifestError } from './errors';
import { FEATURE_ORDER, MODEL_NAMES, OUTPUT_ORDER } from './features/feature-order';

const FeatureSpecSchema = z.object({
  name: z.string(),
  unit: z.string(),
  min: z.number(),
  max: z.number(),
  description: z.string(),
});

const OutputSpecSchema = z.object({ name: z.string(), unit: z.string(), description: z.string() });

export const ModelEntrySchema = z.object({
  name: z.enum(MODEL_NAMES),
  id: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase sha256 hex of the ONNX bytes'),
  file: z.string(),
  bytes: z.number().int().positive(),
  parameters: z.number().int().positive(),
  opset: z.number().int(),
  irVersion: z.number().int(),
  operators: z.array(z.string()),
  input: z.object({ name: z.string(), type: z.literal('float32'), shape: z.tuple([z.literal('N'), z.number().int()]) }),
  output: z.object({ name: z.string(), type: z.literal('float32'), shape: z.tuple([z.literal('N'), z.number().int()]) }),
  featureOrder: z.array(FeatureSpecSchema),
  outputs: z.array(OutputSpecSchema),
  metrics: z.array(
    z.object({
      set: z.string(),
      metric: z.enum(['auc', 'mae']),
      output: z.number().int(),
      model: z.number(),
      baseline: z.number(),
      baselineName: z.string(),
    }),
  ),
  priceHint: z.object({ amount: z.string(), asset: z.string(), per: z.string() }),
  holdout: z.string(),
});

export const ModelManifestSchema = z.object({ schemaVersion: z.literal(1), models: z.array(ModelEntrySchema).min(1) });

export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;
export type OutputSpec = z.infer<typeof OutputSpecSchema>;
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** Parses a manifest and checks that its column orders match the feature builders (a silent mismatch would feed wrong columns). */
export function parseModelManifest(json: unknown): ModelManifest {
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelManifestError(`manifest.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  for (const entry of parsed.data.models) {
    const features = entry.featureOrder.map((f) => f.name).join(',');
    const outputs = entry.outputs.map((o) => o.name).join(',');
    if (features !== FEATURE_ORDER[entry.name].join(',') || outputs !== OUTPUT_ORDER[entry.name].join(',')) {
      throw new ModelManifestError(`manifest entry ${entry.name} has a column order the feature builders do not produce`, {
        name: entry.name,
      });
    }
  }
  return parsed.data;
}

export async function loadModelManifest(modelsDir: string): Promise<ModelManifest> {
  const file = path.join(modelsDir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ModelManifestError(`cannot read ${file}; run npm run models:train`, { file, cause: String(cause) });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelManifestError(`${file} is not valid JSON`, { file, cause: String(cause) });
  }
  return parseModelManifest(json);
}
