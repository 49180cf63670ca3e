// Reads the MLP a common converter (skl2onnx, torch.onnx, tf2onnx) emits out of any ONNX graph, by tracing back from the
// proven output: [head] ← dense ← (Relu ← dense)+ ← [per-feature affine preprocessing] ← the graph's input, where
//   dense    = Gemm(x, W, B) (transA 0, alpha 1, beta 1, transB either) | Add(MatMul(x, W), B)
//   head     = none (linear) | Sigmoid | Softmax (last axis) | skl2onnx's binary [1 − σ(z), σ(z)] (Sub(1, σ) + Concat)
//   affine   = any chain of Cast-to-float, Scaler (ai.onnx.ml), Sub/Add/Mul/Div by a constant
// The preprocessing is folded into the first layer. Anything else stops with ProvingSetupError naming the operator or
// tensor. Other graph outputs (e.g. a classifier's int64 label from ArgMax) are left out of the proof, with the reason.
import type { OnnxGraph, OnnxNode, OnnxTensor } from './onnx-initializers';
import { ProvingSetupError } from '../errors';
import type { MlpHead, MlpSpec } from './mlp-spec';

const STEP = 'read model graph';

type Dense = { input: string; w: number[][]; b: number[] };
type Affine = { scale: number[]; shift: number[] };

function blocked(message: string, details: { operator?: string; tensor?: string }): never {
  throw new ProvingSetupError(message, STEP, details);
}

export function traceMlp(
  graph: OnnxGraph,
  outputName: string,
): MlpSpec & { omittedOutputs: Array<{ name: string; reason: string }> } {
  const producers = new Map<string, OnnxNode>();
  for (const node of graph.nodes) for (const out of node.outputs) producers.set(out, node);
  const producer = (name: string): OnnxNode =>
    producers.get(name) ?? blocked(`nothing in the graph produces ${name}`, { tensor: name });
  const floatConst = (name: string | undefined): OnnxTensor => {
    const t = name === undefined ? undefined : graph.initializers.get(name);
    if (!t)
      return blocked(
        `${name ?? '(missing input)'} is not a constant initializer; the generator proves fixed weights only`,
        { tensor: name },
      );
    if (t.elementType !== 'float32')
      return blocked(`initializer ${t.name} is ${t.elementType}, not float32`, { tensor: t.name });
    return t;
  };

  // Head: what turns the last layer's logits into the proven output.
  let logits = outputName;
  let post: 'none' | 'sigmoid' | 'softmax' = 'none';
  let binaryComplement = false;
  const last = producers.get(outputName);
  if (last?.opType === 'Concat' && last.inputs.length === 2) {
    const [a, b] = last.inputs as [string, string];
    const sig = producers.get(b);
    const sub = producers.get(a);
    const unity = sub?.opType === 'Sub' ? graph.initializers.get(sub.inputs[0] ?? '') : undefined;
    if (sig?.opType !== 'Sigmoid' || sub?.inputs[1] !== b || !unity || unity.data.length !== 1 || unity.data[0] !== 1) {
      blocked('a Concat head other than the binary [1 - sigmoid(z), sigmoid(z)] that classifiers emit', {
        operator: 'Concat',
      });
    }
    logits = sig.inputs[0] as string;
    post = 'sigmoid';
    binaryComplement = true;
  } else if (last?.opType === 'Sigmoid' || last?.opType === 'Softmax') {
    if (last.opType === 'Softmax' && ![-1, 1].includes(last.attributes.axis ?? -1))
      blocked('Softmax over an axis other than the class axis', { operator: 'Softmax' });
    logits = last.inputs[0] as string;
    post = last.opType === 'Sigmoid' ? 'sigmoid' : 'softmax';
  }

  const output = dense(logits);
  // Walk back through dense ReLU layers until the preprocessing (or the input) comes.
  const layers: Dense[] = [];
  let from = output.input;
  for (;;) {
    const relu = producer(from);
    if (relu.opType !== 'Relu')
      blocked(`operator ${relu.opType} where a Relu activation was expected (only ReLU hidden layers are proven)`, {
        operator: relu.opType,
      });
    const layer = dense(relu.inputs[0] as string);
    layers.unshift(layer);
    const before = producers.get(layer.input);
    if (!before || before.opType !== 'Relu') break;
    from = layer.input;
  }
  const [hidden, ...deeper] = layers as [Dense, ...Dense[]];
  const inputs = hidden.w.length;
  const pre = affine(hidden.input, inputs);

  // x' = x·scale + shift, so x'·W + b = x·(diag(scale)·W) + (shift·W + b): exact in the reals.
  const w1 = hidden.w.map((row, i) => row.map((w) => w * (pre.scale[i] as number)));
  const b1 = hidden.b.map(
    (b, j) => b + hidden.w.reduce((acc, row, i) => acc + (pre.shift[i] as number) * (row[j] as number), 0),
  );
  const width = output.b.length;
  const column = (k: number, sign: number): MlpHead => ({
    weights: output.w.map((row) => sign * (row[k] as number)),
    bias: sign * (output.b[k] as number),
    sigmoid: post === 'sigmoid',
  });
  let heads = Array.from({ length: width }, (_, k) => column(k, 1));
  // σ(−z) = 1 − σ(z): the complement column is the same layer with its sign flipped, so both columns are proven.
  if (binaryComplement) {
    if (width !== 1) blocked('a binary classifier head over more than one logit', { operator: 'Concat' });
    heads = [column(0, -1), column(0, 1)];
  }
  const omittedOutputs = graph.outputs
    .filter((o) => o.name !== outputName)
    .map((o) => ({
      name: o.name,
      reason:
        o.kind !== 'tensor' || o.elementType !== 'float32'
          ? `${o.kind === 'tensor' ? o.elementType : o.kind} output: the circuit proves float outputs only`
          : 'not the served output',
    }));
  return {
    inputs,
    hidden: b1.length,
    w1,
    b1,
    heads,
    ...(deeper.length > 0 ? { deeper: deeper.map(({ w, b }) => ({ w, b })) } : {}),
    ...(post === 'softmax' ? { softmax: true } : {}),
    omittedOutputs,
  };

  function dense(name: string): Dense {
    const node = producer(name);
    if (node.opType === 'Gemm') {
      if (
        (node.attributes.transA ?? 0) !== 0 ||
        (node.attributes.alpha ?? 1) !== 1 ||
        (node.attributes.beta ?? 1) !== 1
      )
        blocked('Gemm with transA, alpha or beta', { operator: 'Gemm' });
      const w = matrix(floatConst(node.inputs[1]), (node.attributes.transB ?? 0) === 1);
      return { input: node.inputs[0] as string, w, b: bias(node.inputs[2], w[0]?.length ?? 0) };
    }
    if (node.opType === 'Add') {
      const [a, b] = node.inputs as [string, string];
      const [product, biasName] = graph.initializers.has(b) ? [a, b] : [b, a];
      const matmul = producer(product);
      if (matmul.opType !== 'MatMul')
        blocked(`Add after ${matmul.opType} (a dense layer is MatMul then Add)`, { operator: matmul.opType });
      const w = matrix(floatConst(matmul.inputs[1]), false);
      return { input: matmul.inputs[0] as string, w, b: bias(biasName, w[0]?.length ?? 0) };
    }
    return blocked(`operator ${node.opType} where a dense layer (Gemm, or MatMul + Add) was expected`, {
      operator: node.opType,
    });
  }

  function bias(name: string | undefined, width: number): number[] {
    if (name === undefined || name === '') return new Array<number>(width).fill(0);
    const data = Array.from(floatConst(name).data);
    if (data.length === width) return data;
    if (data.length === 1) return new Array<number>(width).fill(data[0] as number);
    return blocked(`bias ${name} has ${data.length} values for ${width} units`, { tensor: name });
  }

  function affine(from: string, n: number): Affine {
    const steps: Array<(a: Affine) => Affine> = [];
    const perFeature = (values: ArrayLike<number>, tensor: string): number[] =>
      values.length === n
        ? Array.from(values)
        : values.length === 1
          ? new Array<number>(n).fill(values[0] as number)
          : blocked(`${tensor} has ${values.length} values for ${n} features`, { tensor });
    let name = from;
    const input = graph.inputs[0]?.name;
    while (name !== input) {
      const node = producer(name);
      const [x, c] = node.inputs as [string, string | undefined];
      if (node.opType === 'Cast' && node.attributes.to === 1) {
        // A cast to float32 of a float32 tensor: nothing to prove.
      } else if (node.opType === 'Scaler') {
        const offset = perFeature(node.lists.offset ?? [0], 'Scaler.offset');
        const scale = perFeature(node.lists.scale ?? [1], 'Scaler.scale');
        steps.push((a) => ({
          scale: a.scale.map((s, i) => s * scale[i]!),
          shift: a.shift.map((t, i) => (t - offset[i]!) * scale[i]!),
        }));
      } else if (['Sub', 'Add', 'Mul', 'Div'].includes(node.opType) && c !== undefined && graph.initializers.has(c)) {
        const k = perFeature(floatConst(c).data, c);
        const op = node.opType;
        steps.push((a) =>
          op === 'Sub'
            ? { scale: a.scale, shift: a.shift.map((t, i) => t - k[i]!) }
            : op === 'Add'
              ? { scale: a.scale, shift: a.shift.map((t, i) => t + k[i]!) }
              : op === 'Mul'
                ? { scale: a.scale.map((s, i) => s * k[i]!), shift: a.shift.map((t, i) => t * k[i]!) }
                : { scale: a.scale.map((s, i) => s / k[i]!), shift: a.shift.map((t, i) => t / k[i]!) },
        );
      } else {
        blocked(
          `operator ${node.opType} before the first layer (only Cast, Scaler and Sub/Add/Mul/Div by constants are folded)`,
          { operator: node.opType },
        );
      }
      name = x;
    }
    // Collected walking back from the layer: apply in graph order, from the input forwards.
    return steps
      .reverse()
      .reduce((a, step) => step(a), { scale: new Array<number>(n).fill(1), shift: new Array<number>(n).fill(0) });
  }
}

/** Row-major [rows][cols] view; Gemm with transB=1 stores B as [cols][rows]. */
export function matrix(t: OnnxTensor, transposed: boolean): number[][] {
  if (t.dims.length !== 2) blocked(`weight ${t.name} has ${t.dims.length} dimensions, not 2`, { tensor: t.name });
  const [r, c] = t.dims as [number, number];
  const rows = transposed ? c : r;
  const cols = transposed ? r : c;
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (transposed ? t.data[j * c + i] : t.data[i * c + j]) as number),
  );
}
