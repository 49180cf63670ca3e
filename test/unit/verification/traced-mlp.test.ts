// The circuit generator reads converter-made MLPs (skl2onnx: Scaler, MatMul+Add, Relu, Sigmoid, the binary
// [1 - p, p] head) and names the operator or tensor when a graph is outside what it proves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as snarkjs from 'snarkjs';
import {
  DEFAULT_MODELS_DIR,
  DETERMINISTIC_SESSION_OPTIONS,
  readOnnxGraph,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from '../../../src/models';
import { ProvingSetupError } from '../../../src/verification';
import {
  dequantizeOutput,
  evaluateQuantized,
  fromField,
  generateCircuitSource,
  mlpSpecFromGraph,
  quantizeInput,
  quantizeMlp,
  toField,
  withinTolerance,
} from '../../../src/verification/proof';
import { compileCircuit } from '../../../src/verification/proof/compile-circuit';

const THIRD_PARTY = path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp.onnx');
const LOW = [0.5, 1, 0.3, 0, 5, 0, 0];
const HIGH = [2, 120, 1, 0.3, 15000, 1.5, 1];

function rows(count: number): number[][] {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () =>
    LOW.map((low, i) => Math.fround(low + random() * ((HIGH[i] as number) - low))),
  );
}

describe('converter-made MLPs', () => {
  it('proves the skl2onnx classifier: both probability columns agree with onnxruntime within the tolerance', async () => {
    const bytes = fs.readFileSync(THIRD_PARTY);
    const spec = mlpSpecFromGraph(readOnnxGraph(bytes));
    expect(spec.inputs).toBe(7);
    expect(spec.heads).toHaveLength(2);
    expect(spec.heads.every((h) => h.sigmoid)).toBe(true);
    expect(spec.omittedOutputs).toEqual([
      { name: 'label', reason: 'int64 output: the circuit proves float outputs only' },
    ]);
    const session = await ort.InferenceSession.create(bytes, DETERMINISTIC_SESSION_OPTIONS);
    try {
      const sample = rows(200);
      const result = await session.run({
        X: new ort.Tensor('float32', Float32Array.from(sample.flat()), [sample.length, 7]),
      });
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
    irVersion: 8,
    producer: 'test',
    opsets: { 'ai.onnx': 13 },
    operators: [],
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
      expect(error).toMatchObject({
        name: 'ProvingSetupError',
        code: 'proving_setup_failed',
        step: 'read model graph',
        details: { operator: 'Tanh' },
      });
    }
  });

  it('names a weight that is not float32 instead of a bare error', () => {
    const graph = graphWith('Relu');
    graph.initializers.set('W', { name: 'W', dims: [1, 1], elementType: 'float64', data: new Float32Array(0) });
    expect(() => mlpSpecFromGraph(graph)).toThrow(
      expect.objectContaining({
        name: 'ProvingSetupError',
        details: expect.objectContaining({ tensor: 'W' }),
      }) as Error,
    );
  });

  it('reads a plain Gemm-Relu-Gemm graph with a linear head', () => {
    const spec = mlpSpecFromGraph(graphWith('Relu'));
    expect(spec).toMatchObject({
      inputs: 1,
      hidden: 1,
      w1: [[1]],
      b1: [0],
      heads: [{ weights: [1], bias: 0, sigmoid: false }],
    });
  });
});

describe('deeper converter-made MLPs', () => {
  // A 3-5-4-3 classifier as torch.onnx or skl2onnx write it: MatMul + Add, two ReLU layers, Softmax.
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const dims = [3, 5, 4, 3];
  const weights = dims.slice(1).map((out, l) => Array.from({ length: dims[l]! * out }, random));
  const biases = dims.slice(1).map((out) => Array.from({ length: out }, random));
  const graph: OnnxGraph = {
    irVersion: 8,
    producer: 'test',
    opsets: { 'ai.onnx': 13 },
    operators: [],
    inputs: [{ name: 'x', kind: 'tensor', elementType: 'float32', shape: ['N', 3] }],
    outputs: [{ name: 'p', kind: 'tensor', elementType: 'float32', shape: ['N', 3] }],
    initializers: new Map<string, OnnxTensor>(
      weights.flatMap((w, l): Array<[string, OnnxTensor]> => [
        [
          `W${l}`,
          { name: `W${l}`, dims: [dims[l]!, dims[l + 1]!], elementType: 'float32', data: Float32Array.from(w) },
        ],
        [`B${l}`, { name: `B${l}`, dims: [dims[l + 1]!], elementType: 'float32', data: Float32Array.from(biases[l]!) }],
      ]),
    ),
    nodes: [0, 1, 2].flatMap((l): OnnxNode[] => [
      {
        opType: 'MatMul',
        domain: '',
        inputs: [l === 0 ? 'x' : `r${l - 1}`, `W${l}`],
        outputs: [`m${l}`],
        attributes: {},
        lists: {},
      },
      { opType: 'Add', domain: '', inputs: [`m${l}`, `B${l}`], outputs: [`a${l}`], attributes: {}, lists: {} },
      l < 2
        ? { opType: 'Relu', domain: '', inputs: [`a${l}`], outputs: [`r${l}`], attributes: {}, lists: {} }
        : { opType: 'Softmax', domain: '', inputs: [`a${l}`], outputs: ['p'], attributes: { axis: 1 }, lists: {} },
    ]),
  };
  const reference = (x: number[]): number[] => {
    const logits = [0, 1, 2].reduce((h, l) => {
      const out = biases[l]!.map((b, j) =>
        h.reduce((acc, v, i) => acc + v * Math.fround(weights[l]![i * dims[l + 1]! + j]!), Math.fround(b)),
      );
      return l < 2 ? out.map((v) => Math.max(0, v)) : out;
    }, x);
    const exps = logits.map((z) => Math.exp(z - Math.max(...logits)));
    return exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
  };

  it('reads every ReLU layer and the softmax head, and its fixed-point arithmetic matches the float model', () => {
    const spec = mlpSpecFromGraph(graph);
    expect(spec).toMatchObject({ inputs: 3, hidden: 5, softmax: true });
    expect(spec.deeper?.map((l) => l.b.length)).toEqual([4]);
    const model = quantizeMlp(spec);
    for (let r = 0; r < 50; r++) {
      const x = [random(), random(), random()].map(Math.fround);
      const logits = evaluateQuantized(model, quantizeInput(x)).map((v) => dequantizeOutput(v, false));
      const exps = logits.map((z) => Math.exp(z - Math.max(...logits)));
      const proven = exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
      reference(x).forEach((p, k) => expect(withinTolerance(p, proven[k]!)).toBe(true));
    }
  });

  // circom2 (WebAssembly) compiles in about a second alone, several on a busy machine.
  it('compiles to a circuit whose witness outputs are the fixed-point logits', async () => {
    const model = quantizeMlp(mlpSpecFromGraph(graph));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-deep-circuit-'));
    try {
      const { wasm } = await compileCircuit(dir, generateCircuitSource(model, 'deep-test'));
      const x = [0.25, -0.5, 0.75];
      const wtns = (
        snarkjs as unknown as {
          wtns: {
            calculate(i: unknown, w: string, o: string): Promise<void>;
            exportJson(f: string): Promise<bigint[]>;
          };
        }
      ).wtns;
      const file = path.join(dir, 'w.wtns');
      await wtns.calculate({ x: quantizeInput(x).map((v) => toField(v).toString()) }, wasm, file);
      const witness = await wtns.exportJson(file);
      // Signal 0 is the constant 1; the public outputs come next.
      expect(witness.slice(1, 4).map((v) => fromField(BigInt(v)))).toEqual(evaluateQuantized(model, quantizeInput(x)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
