// A manifest whose declared shapes or types disagree with the ONNX graph is refused at load, naming the field; the
// runtime never reshapes a model's output to fit a wrong declaration.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR, ModelManifestMismatchError } from '../../../src/models';

function withManifest(edit: (manifest: { models: Array<{ name: string; input: { shape: unknown[] }; output: { name: string; shape: unknown[] } }> }) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'proofpath-shapes-'));
  cpSync(DEFAULT_MODELS_DIR, dir, { recursive: true, filter: (src) => !src.includes('pipeline') });
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest));
  return dir;
}

describe('declared shapes are checked against the model', () => {
  it('refuses an output width of 1 declared for the [N,2] lane-eta model instead of doubling the rows', async () => {
    const dir = withManifest((m) => {
      m.models.find((e) => e.name === 'lane-eta')!.output.shape = ['N', 1];
    });
    try {
      const attempt = createOnnxModelRuntime({ modelsDir: dir });
      await expect(attempt).rejects.toBeInstanceOf(ModelManifestMismatchError);
      await expect(attempt).rejects.toMatchObject({ name: 'ModelManifestMismatchError', code: 'model_manifest_mismatch', details: { field: 'output.shape[1]', declared: 1, actual: 2 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an input width the graph does not take', async () => {
    const dir = withManifest((m) => {
      m.models.find((e) => e.name === 'supplier-risk')!.input.shape = ['N', 8];
    });
    try {
      await expect(createOnnxModelRuntime({ modelsDir: dir })).rejects.toMatchObject({ code: 'model_manifest_mismatch', details: { field: 'input.shape[1]', declared: 8, actual: 7 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an output name the graph does not have', async () => {
    const dir = withManifest((m) => {
      m.models.find((e) => e.name === 'demand-forecast')!.output.name = 'prediction';
    });
    try {
      await expect(createOnnxModelRuntime({ modelsDir: dir })).rejects.toMatchObject({ code: 'model_manifest_mismatch', details: { field: 'output.name' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
