// Checks what a manifest or registry entry declares about a model's served input and output against the ONNX graph:
// names, element types and every dimension. The first disagreement is a ModelManifestMismatchError naming the field.
import { ModelManifestMismatchError } from './errors';
import type { OnnxDim, OnnxGraph, OnnxValueInfo } from './onnx-graph';

/** What the engine serves: one float32 matrix in, one float32 matrix out; `N` is the batch dimension. */
export type DeclaredTensor = { name: string; type: string; shape: readonly ['N', number] };

/** A declared `N` matches any symbolic (or unnamed) dimension; a declared number must equal the graph's fixed size. */
function dimMatches(declared: 'N' | number, actual: OnnxDim | undefined): boolean {
  if (declared === 'N') return typeof actual === 'string';
  return actual === declared;
}

function checkTensor(side: 'input' | 'output', declared: DeclaredTensor, candidates: OnnxValueInfo[], modelId?: string): void {
  const actual = candidates.find((c) => c.name === declared.name);
  if (!actual) throw new ModelManifestMismatchError(`${side}.name`, declared.name, candidates.map((c) => c.name), modelId);
  if (actual.kind !== 'tensor') throw new ModelManifestMismatchError(`${side}.type`, declared.type, `${actual.kind} (not a tensor)`, modelId);
  if (actual.elementType !== declared.type) throw new ModelManifestMismatchError(`${side}.type`, declared.type, actual.elementType, modelId);
  if (actual.shape.length !== declared.shape.length) throw new ModelManifestMismatchError(`${side}.shape`, declared.shape, actual.shape, modelId);
  declared.shape.forEach((dim, i) => {
    if (!dimMatches(dim, actual.shape[i])) throw new ModelManifestMismatchError(`${side}.shape[${i}]`, dim, actual.shape[i], modelId);
  });
}

/** Throws ModelManifestMismatchError unless the graph takes `input` and produces `output` exactly as declared. */
export function checkDeclaredAgainstGraph(declared: { input: DeclaredTensor; output: DeclaredTensor }, graph: OnnxGraph, modelId?: string): void {
  if (graph.inputs.length !== 1) throw new ModelManifestMismatchError('input', declared.input.name, graph.inputs.map((i) => i.name), modelId);
  checkTensor('input', declared.input, graph.inputs, modelId);
  checkTensor('output', declared.output, graph.outputs, modelId);
}
