// The circuit generator reads converter-made MLPs (skl2onnx: Scaler, MatMul+Add, Relu, Sigmoid, the binary
// [1 - p, p] head) and names the operator or tensor when a graph is outside what it proves.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEFAULT_MODELS_DIR, DETERMINISTIC_SESSION_OPTIONS, readOnnxGraph, type OnnxGraph } from '../../../src/models';
import { ProvingSetupError } from '../../../src/verification';
import { dequantizeOutput, evaluateQuantized, mlpSpecFromGraph, quantizeInput, quantizeMlp, withinTolerance } from '../../../src/verification/proof';

const THIRD_PARTY = path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp.onnx');
const LOW = [0.5, 1, 0.3, 0, 5, 0, 0];
const HIGH = [2, 120, 1, 0.3, 15000, 1.5, 1];

function rows(count: number): number[][] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, () => LOW.map((low, i) => Math.fround(low + random() * ((HIGH[i] as number) - low))));
}

describe('converter-made MLPs', () => {
  it('proves the skl2onnx classifier: both probability columns agree with onnxruntime within the tolerance', async () => {
    const bytes = fs.readFileSync(THIRD_PARTY);
    const spec = mlpSpecFromGraph(readOnnxGraph(bytes));
    expect(spec.inputs).toBe(7);
    expect(spec.heads).toHaveLength(2);
    expect(spec.heads.every((h) => h.sigmoid)).toBe(true);
    expect(spec.omittedOutputs).toEqual([{ name: 'label', reason: 'int64 output: the circuit proves float outputs only' }]);
    const session = await ort.InferenceSession.create(bytes, DETERMINISTIC_SESSION_OPTIONS);
    try {
      const sample = rows(200);
      const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from(sample.flat()), [sample.length, 7]) });
      const probabilities = result.probabilities!.data as Float32Array;
      const model = quantizeMlp(spec);
      let worst = 0;
      sample.forEach((row, i) => {
        evaluateQuantized(model, quantizeInput(row)).forEach((v, k) => {
          const proven = dequantizeOutput(v, true);
          const expected = probabilities[i * 2 + k] as number;
          worst = Math.max(worst, Math.abs(proven - expected));
          expect(withinTolerance(expected, proven)).toBe(true);
        });
      });
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });

  const graphWith = (hiddenOp: string): OnnxGraph => ({
    irVersion: 8, producer: 'test', opsets: { 'ai.onnx': 13 }, operators: [],
    inputs: [{ name: 'x', kind: 'tensor', elementType: 'float32', shape: ['N', 1] }],
    outputs: [{ name: 'y', kind: 'tensor', elementType: 'float32', shape: ['N', 1] }],
    initializers: new Map([
      ['W', { name: 'W', dims: [1, 1], elementType: 'float32', data: Float32Array.of(1) }],
      ['B', { name: 'B', dims: [1], elementType: 'float32', data: Float32Array.of(0) }],
    ]),
    nodes: [
      { opType: 'Gemm', domain: '', inputs: ['x', 'W', 'B'], outputs: ['h'], attributes: {}, lists: {} },
      { opType: hiddenOp, domain: '', inputs: ['h'], outputs: ['a'], attributes: {}, lists: {} },
      { opType: 'Gemm', domain: '', inputs: ['a', 'W', 'B'], outputs: ['y'], attributes: {}, lists: {} },
    ],
  });

  it('names the operator that blocks the proof (Tanh between the layers)', () => {
    expect(() => mlpSpecFromGraph(graphWith('Tanh'))).toThrow(ProvingSetupError);
    try {
      mlpSpecFromGraph(graphWith('Tanh'));
    } catch (error) {
      expect(error).toMatchObject({ name: 'ProvingSetupError', code: 'proving_setup_failed', step: 'read model graph', details: { operator: 'Tanh' } });
    }
  });

  it('names a weight that is not float32 instead of a bare error', () => {
    const graph = graphWith('Relu');
    graph.initializers.set('W', { name: 'W', dims: [1, 1], elementType: 'float64', data: new Float32Array(0) });
    expect(() => mlpSpecFromGraph(graph)).toThrow(expect.objectContaining({ name: 'ProvingSetupError', details: { tensor: 'W' } }) as Error);
  });

  it('reads a plain Gemm-Relu-Gemm graph with a linear head', () => {
    const spec = mlpSpecFromGraph(graphWith('Relu'));
    expect(spec).toMatchObject({ inputs: 1, hidden: 1, w1: [[1]], b1: [0], heads: [{ weights: [1], bias: 0, sigmoid: false }] });
  });
});
