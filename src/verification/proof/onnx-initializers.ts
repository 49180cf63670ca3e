// Reads an ONNX model's graph (nodes and float initializers) with protobufjs and the subset of onnx.proto it needs.
// Field numbers are those of onnx/onnx.proto (ModelProto.graph = 7, GraphProto.node = 1 / initializer = 5,
// TensorProto.dims = 1 / data_type = 2 / float_data = 4 / name = 8 / raw_data = 9, NodeProto.op_type = 4, ...).
import protobuf from 'protobufjs/light';

const ONNX_SUBSET = {
  nested: {
    ModelProto: { fields: { irVersion: { type: 'int64', id: 1 }, graph: { type: 'GraphProto', id: 7 } } },
    GraphProto: {
      fields: {
        node: { rule: 'repeated', type: 'NodeProto', id: 1 },
        name: { type: 'string', id: 2 },
        initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
      },
    },
    NodeProto: {
      fields: {
        input: { rule: 'repeated', type: 'string', id: 1 },
        output: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        opType: { type: 'string', id: 4 },
        attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
      },
    },
    AttributeProto: { fields: { name: { type: 'string', id: 1 }, f: { type: 'float', id: 2 }, i: { type: 'int64', id: 3 } } },
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
/** TensorProto.DataType.FLOAT */
const FLOAT = 1;

export type OnnxTensor = { name: string; dims: number[]; data: Float32Array };
export type OnnxNode = { opType: string; inputs: string[]; outputs: string[]; attributes: Record<string, number> };
export type OnnxGraph = { nodes: OnnxNode[]; initializers: Map<string, OnnxTensor> };

type RawTensor = { name: string; dims: Array<number | { toNumber(): number }>; dataType: number; floatData: number[]; rawData: Uint8Array };
type RawNode = { opType: string; input: string[]; output: string[]; attribute: Array<{ name: string; f?: number; i?: number | { toNumber(): number } }> };

const num = (v: number | { toNumber(): number } | undefined) => (v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { defaults: true, arrays: true }) as { graph?: { node: RawNode[]; initializer: RawTensor[] } };
  if (!model.graph) throw new Error('ONNX model has no graph');
  const initializers = new Map<string, OnnxTensor>();
  for (const t of model.graph.initializer) {
    if (t.dataType !== FLOAT) throw new Error(`initializer ${t.name} is not float32`);
    const data =
      t.rawData.length > 0
        ? new Float32Array(t.rawData.buffer.slice(t.rawData.byteOffset, t.rawData.byteOffset + t.rawData.byteLength))
        : Float32Array.from(t.floatData);
    initializers.set(t.name, { name: t.name, dims: t.dims.map(num), data });
  }
  const nodes = model.graph.node.map((n) => ({
    opType: n.opType,
    inputs: n.input,
    outputs: n.output,
    attributes: Object.fromEntries(n.attribute.map((a) => [a.name, a.f !== undefined && a.f !== 0 ? a.f : num(a.i)])),
  }));
  return { nodes, initializers };
}
