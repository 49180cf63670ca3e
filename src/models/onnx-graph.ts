// Reads what the engine needs from an ONNX model with protobufjs and the subset of onnx.proto it uses: the graph's
// declared inputs and outputs (names, element types, shapes), its nodes and operators, opsets, and its initializers.
// Field numbers are those of onnx/onnx.proto: ModelProto.ir_version = 1 / producer_name = 2 / producer_version = 3 /
// graph = 7 / opset_import = 8; GraphProto.node = 1 / initializer = 5 / input = 11 / output = 12; ValueInfoProto.name = 1
// / type = 2; TypeProto.tensor_type = 1 (elem_type = 1, shape = 2), sequence_type = 4, map_type = 5;
// TensorShapeProto.dim = 1 (dim_value = 1, dim_param = 2); TensorProto.dims = 1 / data_type = 2 / float_data = 4 /
// int64_data = 7 / name = 8 / raw_data = 9; NodeProto.input = 1 / output = 2 / op_type = 4 / attribute = 5 / domain = 7.
import protobuf from 'protobufjs/light';
import { ModelFileError } from './errors';

const ONNX_SUBSET = {
  nested: {
    ModelProto: {
      fields: {
        irVersion: { type: 'int64', id: 1 },
        producerName: { type: 'string', id: 2 },
        producerVersion: { type: 'string', id: 3 },
        graph: { type: 'GraphProto', id: 7 },
        opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
      },
    },
    OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
    GraphProto: {
      fields: {
        node: { rule: 'repeated', type: 'NodeProto', id: 1 },
        name: { type: 'string', id: 2 },
        initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
        input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
        output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
      },
    },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: {
      fields: {
        tensorType: { type: 'TensorTypeProto', id: 1 },
        sequenceType: { type: 'Opaque', id: 4 },
        mapType: { type: 'Opaque', id: 5 },
      },
    },
    Opaque: { fields: {} },
    TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
    NodeProto: {
      fields: {
        input: { rule: 'repeated', type: 'string', id: 1 },
        output: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        opType: { type: 'string', id: 4 },
        attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
        domain: { type: 'string', id: 7 },
      },
    },
    AttributeProto: {
      fields: {
        name: { type: 'string', id: 1 },
        f: { type: 'float', id: 2 },
        i: { type: 'int64', id: 3 },
        floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: true } },
        ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: true } },
      },
    },
    TensorProto: {
      fields: {
        dims: { rule: 'repeated', type: 'int64', id: 1 },
        dataType: { type: 'int32', id: 2 },
        floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
        name: { type: 'string', id: 8 },
        rawData: { type: 'bytes', id: 9 },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX_SUBSET);
const ModelProto = root.lookupType('ModelProto');

/** TensorProto.DataType names for the element types a served tensor may have. */
const ELEMENT_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64' };
const FLOAT = 1;

/** A dimension is a fixed size or a symbolic name (e.g. the batch dimension `N`, or '?' when the graph names none). */
export type OnnxDim = number | string;
/** `kind` is 'tensor' for tensors; skl2onnx's ZipMap output, for one, is a sequence of maps. */
export type OnnxValueInfo = { name: string; kind: 'tensor' | 'sequence' | 'map' | 'unknown'; elementType: string; shape: OnnxDim[] };
/** `data` holds float32 initializers only; other element types keep their type and dims (e.g. class labels). */
export type OnnxTensor = { name: string; dims: number[]; elementType: string; data: Float32Array };
/** `attributes` holds scalar attributes (float or int); `lists` the float and int lists (e.g. Scaler's offset/scale). */
export type OnnxNode = { opType: string; domain: string; inputs: string[]; outputs: string[]; attributes: Record<string, number>; lists: Record<string, number[]> };
export type OnnxGraph = {
  irVersion: number;
  producer: string;
  opsets: Record<string, number>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  /** Distinct operator types, sorted (domain-qualified when not the default domain). */
  operators: string[];
};

type Long = number | { toNumber(): number };
type RawDim = { dimValue?: Long; dimParam?: string };
type RawValueInfo = { name: string; type?: { tensorType?: { elemType: number; shape?: { dim: RawDim[] } }; sequenceType?: object; mapType?: object } };
type RawTensor = { name: string; dims: Long[]; dataType: number; floatData: number[]; rawData: Uint8Array };
type RawNode = { opType: string; domain: string; input: string[]; output: string[]; attribute: Array<{ name: string; f?: number; i?: Long; floats: number[]; ints: Long[] }> };
type RawModel = { irVersion: Long; producerName: string; producerVersion: string; opsetImport: Array<{ domain: string; version: Long }>; graph?: { node: RawNode[]; initializer: RawTensor[]; input: RawValueInfo[]; output: RawValueInfo[] } };

const num = (v: Long | undefined) => (v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

function valueInfo(v: RawValueInfo): OnnxValueInfo {
  const tensor = v.type?.tensorType;
  if (tensor) {
    const shape = (tensor.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : num(d.dimValue) > 0 ? num(d.dimValue) : '?'));
    return { name: v.name, kind: 'tensor', elementType: ELEMENT_TYPES[tensor.elemType] ?? `type${tensor.elemType}`, shape };
  }
  const kind = v.type?.sequenceType ? 'sequence' : v.type?.mapType ? 'map' : 'unknown';
  return { name: v.name, kind, elementType: kind, shape: [] };
}

export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  let model: RawModel;
  try {
    model = ModelProto.toObject(ModelProto.decode(bytes), { defaults: true, arrays: true }) as RawModel;
  } catch (error) {
    throw new ModelFileError(`not an ONNX model: ${(error as Error).message}`);
  }
  if (!model.graph) throw new ModelFileError('the ONNX model has no graph');
  const initializers = new Map<string, OnnxTensor>();
  for (const t of model.graph.initializer) {
    const float = t.dataType === FLOAT;
    const data = !float
      ? new Float32Array(0)
      : t.rawData.length > 0
        ? new Float32Array(t.rawData.buffer.slice(t.rawData.byteOffset, t.rawData.byteOffset + t.rawData.byteLength))
        : Float32Array.from(t.floatData);
    initializers.set(t.name, { name: t.name, dims: t.dims.map(num), elementType: ELEMENT_TYPES[t.dataType] ?? `type${t.dataType}`, data });
  }
  const nodes = model.graph.node.map((n) => ({
    opType: n.opType,
    domain: n.domain,
    inputs: n.input,
    outputs: n.output,
    attributes: Object.fromEntries(n.attribute.map((a) => [a.name, a.f !== undefined && a.f !== 0 ? a.f : num(a.i)])),
    lists: Object.fromEntries(n.attribute.filter((a) => a.floats.length + a.ints.length > 0).map((a) => [a.name, a.floats.length > 0 ? [...a.floats] : a.ints.map(num)])),
  }));
  // Graph inputs may list initializers too (IR < 4 style); those are weights, not what a caller feeds.
  const inputs = model.graph.input.filter((i) => !initializers.has(i.name)).map(valueInfo);
  return {
    irVersion: num(model.irVersion),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain || 'ai.onnx', num(o.version)])),
    inputs,
    outputs: model.graph.output.map(valueInfo),
    nodes,
    initializers,
    operators: [...new Set(nodes.map((n) => (n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType)))].sort(),
  };
}
