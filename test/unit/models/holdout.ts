// Reads the committed held-out sets (models/<name>/holdout.json) and the manifest for the tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODELS_DIR, parseModelManifest, type ModelEntry, type ModelName } from '../../../src/models';

export type HoldoutSet = {
  name: string;
  rows: number[][];
  labels?: number[];
  hours?: number[];
  delayed?: number[];
  targets?: number[];
  scales?: number[];
  series?: number[];
  firstTarget?: number;
};

export type Holdout = {
  model: ModelName;
  modelId: string;
  featureOrder: string[];
  sets: HoldoutSet[];
  baseline: { kind: string; feature?: string; modeSpeedsKmh?: Record<string, number> };
};

export function readManifestEntry(name: ModelName): ModelEntry {
  const manifest = parseModelManifest(JSON.parse(readFileSync(path.join(DEFAULT_MODELS_DIR, 'manifest.json'), 'utf8')));
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new Error(`no ${name} in manifest`);
  return entry;
}

export function readHoldout(name: ModelName): Holdout {
  return JSON.parse(readFileSync(path.join(DEFAULT_MODELS_DIR, name, 'holdout.json'), 'utf8')) as Holdout;
}

export function holdoutSet(holdout: Holdout, name: string): HoldoutSet {
  const set = holdout.sets.find((s) => s.name === name);
  if (!set) throw new Error(`no ${name} set in ${holdout.model} holdout`);
  return set;
}
