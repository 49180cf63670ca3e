
// The ONNX registry: loads models by content id, refuses tampered files, and infers deterministically in batches.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createOnnxModelRuntime,
  DEFAULT_MODELS_DIR,
  FEATURE_ORDER,
  inputHash,
  MODEL_NAMES,
  modelIdOf,
  ModelInputError,
  ModelIntegrityError,
  ModelNotFoundError,
  outputHash,
  type ModelRuntime,
} from '../../../src/models';
import { readHoldout, readManifestEntry } from './holdout';

let runtime: ModelRuntime;
beforeAll(async () => {
  runtime = await createOnnxModelRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const sampleRows = (name: (typeof MODEL_NAMES)[number], count: number) => readHoldout(name).sets[0]!.rows.slice(0, count);

describe('model registry', () => {
  it.each(MODEL_NAMES)('loads %s by the sha256 of its ONNX bytes', (name) => {
    const entry = readManifestEntry(name);
    const bytes = readFileSync(path.join(DEFAULT_MODELS_DIR, entry.file));
    expect(modelIdOf(bytes)).toBe(entry.id);
    const described = runtime.describe(entry.id);
    expect(described.name).toBe(name);
    expect(described.featureOrder.map((f) => f.name)).toEqual([...FEATURE_ORDER[name]]);
    expect(runtime.describe(name).id).toBe(entry.id);
  });

  it('lists all three models', () => {
    expect(runtime.listModels().map((m) => m.name).sort()).toEqual([...MODEL_NAMES].sort());
  });

  it('refuses a model file with one byte flipped (model_hash_mismatch)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proofpath-models-'));
    try {
      cpSync(DEFAULT_MODELS_DIR, dir, { recursive: true, filter: (src) => !src.includes('pipeline') });
      const entry = readManifestEntry('lane-eta');
      const file = path.join(dir, entry.file);
      const bytes = readFileSync(file);
      bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01; // inside a weight initializer
      writeFileSync(file, bytes);
      const attempt = createOnnxModelRuntime({ modelsDir: dir });
      await expect(attempt).rejects.toBeInstanceOf(ModelIntegrityError);
      await expect(attempt).rejects.toMatchObject({ code: 'model_hash_mismatch', details: { modelId: entry.id } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads an untampered copy from another folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proofpath-models-'));
    try {
      cpSync(DEFAULT_MODELS_DIR, dir, { recursive: true, filter: (src) => !src.includes('pipeline') });
      const copy = await createOnnxModelRuntime({ modelsDir: dir });
      expect(copy.listModels()).toHaveLength(3);
      await copy.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(MODEL_NAMES)('gives %s the same outputs batched as row by row', async (name) => {
    const id = readManifestEntry(name).id;
    const rows = sampleRows(name, 32);
    const batched = await runtime.infer(id, rows);
    expect(batched.outputs).toHaveLength(32);
    for (const [i, row] of rows.entries()) {
      const single = await runtime.infer(id, [row]);
      expect(single.outputs[0]).toEqual(batched.outputs[i]);
    }
  });

  it.each(MODEL_NAMES)('gives %s bit-identical outputs and hashes from two separate sessions', async (name) => {
    const id = readManifestEntry(name).id;
    const rows = sampleRows(name, 64);
    const other = await createOnnxModelRuntime();
    try {
      const a = await runtime.infer(id, rows);
      const b = await other.infer(id, rows);
      const bits = (r: number[][]) => Buffer.from(Float32Array.from(r.flat()).buffer).toString('hex');
      expect(bits(b.outputs)).toBe(bits(a.outputs));
      expect(b.outputHash).toBe(a.outputHash);
      expect(a.inputHash).toBe(inputHash(rows));
      expect(a.outputHash).toBe(outputHash(a.outputs));
    } finally {
      await other.close();
    }
  });

  it('returns probabilities in [0, 1] and a positive transit time for lane-eta', async () => {
    const { outputs } = await runtime.infer(readManifestEntry('lane-eta').id, sampleRows('lane-eta', 200));
    for (const [hours, delay] of outputs as [number, number][]) {
      expect(hours).toBeGreaterThan(0);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1);
    }
  });

  it('refuses an unknown model id', async () => {
    await expect(runtime.infer('00'.repeat(32), [[1]])).rejects.toBeInstanceOf(ModelNotFoundError);
    expect(() => runtime.describe('no-such-model')).toThrow(ModelNotFoundError);
  });

  it('refuses rows of the wrong width or with non-finite values, naming the cell', async () => {
    const id = readManifestEntry('supplier-risk').id;
    await expect(runtime.infer(id, [[1, 2, 3]])).rejects.toThrow(/rows\[0\]: must have exactly 7 values/);
    await expect(runtime.infer(id, [[1, 2, 3, 4, 5, 6, 7], [1, 2, Number.NaN, 4, 5, 6, 7]])).rejects.toMatchObject({
      code: 'model_input_invalid',
      field: 'rows[1][2]',
    });
    await expect(runtime.infer(id, [])).rejects.toBeInstanceOf(ModelInputError);
  });
});
