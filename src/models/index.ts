// Public surface of the models folder: the ONNX model registry/runtime plus everything in workflow-safe.ts.
export * from './workflow-safe';
export { createOnnxModelRuntime, DETERMINISTIC_SESSION_OPTIONS, type OnnxModelRuntimeOptions } from './onnx-runtime';
export type { ModelRunOutput, ModelDescription, ModelRuntime } from './runtime-port';
export { loadModelManifest, parseModelManifest, type FeatureSpec, type ModelEntry, type ModelManifest, type OutputSpec } from './manifest';
export { modelIdOf, readVerifiedModel } from './model-file';
export { DEFAULT_MODELS_DIR } from './default-paths';
export { readOnnxGraph, type OnnxDim, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-graph';
export { checkDeclaredAgainstGraph, type DeclaredTensor } from './graph-check';
export { addUserModel, loadUserModels, servedTensors, userModelsDirOf, ProofSupportSchema, REGISTRY_FILE, type AddModelRequest, type ProofSupport, type UserModelEntry } from './user-registry';
