// The circuit's fixed-point arithmetic (evaluated in plain integers) against the float ONNX model on held-out rows.
import fs from 'node:fs';
import path from 'node:path';
import { createOnnxModelRuntime, loadModelManifest, DEFAULT_MODELS_DIR, type ModelRuntime } from '../../../src/models';
import {
  dequantizeOutput,
  evaluateQuantized,
  generateCircuitSource,
  mlpSpecFromGraph,
  quantizeInput,
  quantizeMlp,
  readOnnxGraph,
  withinTolerance,
} from '../../../src/verification/proof';

let runtime: ModelRuntime;
beforeAll(async () => {
  runtime = await createOnnxModelRuntime();
});
afterAll(async () => runtime.close());

describe('quantized decision models', () => {
  it('agree with the float models within the documented tolerance on held-out rows', async () => {
    const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
    for (const entry of manifest.models) {
      const bytes = fs.readFileSync(path.join(DEFAULT_MODELS_DIR, entry.file));
      const spec = mlpSpecFromGraph(readOnnxGraph(bytes));
      const model = quantizeMlp(spec);
      const holdout = JSON.parse(
        fs.readFileSync(path.join(DEFAULT_MODELS_DIR, entry.name, 'holdout.json'), 'utf8'),
      ) as { sets: Array<{ rows: number[][] }> };
      const rows = holdout.sets.flatMap((s) => s.rows).slice(0, 200);
      const { outputs } = await runtime.infer(entry.id, rows);
      let worst = 0;
      rows.forEach((row, i) => {
        const proven = evaluateQuantized(model, quantizeInput(row)).map((v, k) =>
          dequantizeOutput(v, spec.heads[k]?.sigmoid ?? false),
        );
        proven.forEach((p, k) => {
          const expected = outputs[i]?.[k] as number;
          worst = Math.max(worst, Math.abs(p - expected) / Math.max(1, Math.abs(expected)));
          expect(withinTolerance(expected, p)).toBe(true);
        });
      });
      expect(worst).toBeLessThan(5e-4);
    }
  });

  it('puts the weights into the circuit as constants, so another model gives another circuit', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'manifest.json'), 'utf8')) as {
      models: Array<{ file: string; id: string }>;
    };
    const sources = manifest.models.map((m) =>
      generateCircuitSource(
        quantizeMlp(mlpSpecFromGraph(readOnnxGraph(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, m.file))))),
        m.id,
      ),
    );
    expect(new Set(sources).size).toBe(sources.length);
    expect(sources[0]).toContain('component main {public [x]} = Model();');
    expect(sources[0]).not.toMatch(/signal input w/);
  });

  it('rounds negative pre-activations towards minus infinity, as the range-checked rescale does', () => {
    const model = {
      inputs: 1,
      hidden: 1,
      w1: [[-(2n ** 24n)]],
      b1: [0n],
      heads: [{ weights: [2n ** 24n], bias: 0n, sigmoid: false }],
    };
    expect(evaluateQuantized(model, [5n])).toEqual([0n]);
    const identity = { ...model, w1: [[2n ** 24n]] };
    expect(evaluateQuantized(identity, [5n])).toEqual([5n * 2n ** 24n]);
  });
});
