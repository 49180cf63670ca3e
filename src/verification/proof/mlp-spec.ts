// Turns a model's ONNX graph into a plain MLP description, with any standardization folded into the first layer so the
// circuit has one affine map per layer. The project's own exports (models/pipeline/onnx_export.py: standardize → Gemm →
// Relu → heads, by initializer name) are read here as before; any other graph is traced by ./mlp-trace.ts.
import { ProvingSetupError } from '../errors';
import { matrix, traceMlp } from './mlp-trace';
import type { OnnxGraph, OnnxTensor } from './onnx-initializers';

export type MlpHead = { weights: number[]; bias: number; sigmoid: boolean };
/** hidden = relu(x · w1 + b1) with w1 [inputs][hidden]; output_k = head_k.weights · hidden + head_k.bias (then sigmoid if set). */
export type MlpSpec = {
  inputs: number;
  hidden: number;
  w1: number[][];
  b1: number[];
  heads: MlpHead[];
  /**
   * Further ReLU hidden layers after the first, in order: layer k takes the previous layer's activations, `w` is
   * [previous width][width]. The heads then read the last layer. Absent: one hidden layer.
   */
  deeper?: Array<{ w: number[][]; b: number[] }>;
  /** The proven outputs are logits of one softmax: the verifier applies it across all heads (the circuit cannot exp). */
  softmax?: boolean;
  /** Graph outputs the proof does not cover, each with the reason (e.g. a classifier's int64 label). */
  omittedOutputs?: Array<{ name: string; reason: string }>;
};

function tensor(graph: OnnxGraph, name: string): OnnxTensor {
  const t = graph.initializers.get(name);
  if (!t) throw new ProvingSetupError(`the model has no initializer ${name}`, 'read model graph', { tensor: name });
  return t;
}

function gemmB(graph: OnnxGraph, weightName: string): number[][] {
  const node = graph.nodes.find((n) => n.opType === 'Gemm' && n.inputs[1] === weightName);
  if (!node) throw new ProvingSetupError(`no Gemm uses ${weightName}`, 'read model graph', { tensor: weightName });
  if ((node.attributes.transA ?? 0) !== 0 || (node.attributes.alpha ?? 1) !== 1 || (node.attributes.beta ?? 1) !== 1) {
    throw new ProvingSetupError(
      `Gemm over ${weightName} uses transA/alpha/beta, which the circuit generator does not support`,
      'read model graph',
      { operator: 'Gemm' },
    );
  }
  return matrix(tensor(graph, weightName), (node.attributes.transB ?? 0) === 1);
}

/** The project's own export names its initializers; anything else is traced from the graph's one float output. */
function isProjectExport(graph: OnnxGraph): boolean {
  return (
    graph.initializers.has('feature_mean') && graph.initializers.has('feature_std') && graph.initializers.has('W1')
  );
}

/** The float32 tensor output the proof covers: the only one the graph has (a label or a map output is never proven). */
export function provenOutputOf(graph: OnnxGraph): string {
  const floats = graph.outputs.filter((o) => o.kind === 'tensor' && o.elementType === 'float32');
  if (floats.length !== 1) {
    throw new ProvingSetupError(
      `the graph has ${floats.length} float32 tensor outputs (${floats.map((o) => o.name).join(', ') || 'none'}); the proof covers exactly one`,
      'read model graph',
      { tensor: graph.outputs.map((o) => o.name).join(',') },
    );
  }
  return (floats[0] as { name: string }).name;
}

export function mlpSpecFromGraph(graph: OnnxGraph): MlpSpec {
  if (!isProjectExport(graph)) return traceMlp(graph, provenOutputOf(graph));
  return projectExportSpec(graph);
}

function projectExportSpec(graph: OnnxGraph): MlpSpec {
  const mean = Array.from(tensor(graph, 'feature_mean').data);
  const std = Array.from(tensor(graph, 'feature_std').data);
  const w1raw = gemmB(graph, 'W1');
  const b1raw = Array.from(tensor(graph, 'B1').data);
  const inputs = w1raw.length;
  const hidden = b1raw.length;
  // ((x - m) / s) · W + b  =  x · (W / s) + (b - Σ_i m_i W_ij / s_i): exact in the reals; float rounding differs slightly.
  const w1 = w1raw.map((row, i) => row.map((w) => w / (std[i] as number)));
  const b1 = b1raw.map((b, j) => b - w1.reduce((acc, row, i) => acc + (mean[i] as number) * (row[j] as number), 0));

  const hasSigmoid = graph.nodes.some((n) => n.opType === 'Sigmoid');
  const heads: MlpHead[] = [];
  if (graph.initializers.has('W2')) {
    const w2 = gemmB(graph, 'W2');
    const b2 = Array.from(tensor(graph, 'B2').data);
    b2.forEach((bias, k) => heads.push({ weights: w2.map((row) => row[k] as number), bias, sigmoid: hasSigmoid }));
  } else {
    // Mixed heads: output = linear_part + sigmoid(logits) * mask; a column is either linear or a probability.
    const wl = gemmB(graph, 'W2_linear');
    const bl = Array.from(tensor(graph, 'B2_linear').data);
    const ws = gemmB(graph, 'W2_logit');
    const bs = Array.from(tensor(graph, 'B2_logit').data);
    const mask = Array.from(tensor(graph, 'sigmoid_mask').data);
    mask.forEach((m, k) =>
      heads.push(
        m === 1
          ? { weights: ws.map((row) => row[k] as number), bias: bs[k] as number, sigmoid: true }
          : { weights: wl.map((row) => row[k] as number), bias: bl[k] as number, sigmoid: false },
      ),
    );
  }
  if (w1.some((row) => row.length !== hidden) || heads.some((h) => h.weights.length !== hidden))
    throw new ProvingSetupError('inconsistent layer sizes', 'read model graph');
  return { inputs, hidden, w1, b1, heads };
}
