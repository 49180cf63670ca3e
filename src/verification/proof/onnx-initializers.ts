// The proof module reads ONNX graphs through the models folder's reader (src/models/onnx-graph.ts), one parser for both.
export { readOnnxGraph, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../../models';
