// The pure part of the models folder (no Node built-ins, no onnxruntime): what workflows may import.
export * from './features/index';
export { encodeTensor, inputHash, outputHash, tensorHash, TENSOR_HASH_DOMAIN, type Hex } from './canonical-hash';
export {
  FeatureValidationError,
  ModelError,
  ModelInputError,
  ModelIntegrityError,
  ModelFileError,
  ModelManifestError,
  ModelManifestMismatchError,
  ModelRegistryError,
  ModelNotFoundError,
  TensorEncodingError,
} from './errors';
