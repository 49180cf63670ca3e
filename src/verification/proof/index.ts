// Public surface of zkML proofs: per-model Groth16 circuits generated from ONNX weights, the node's prover and proof
// service, and the verifier's check.
export {
  ensureProvingKeys,
  loadProvingKeys,
  provingKeysDir,
  circuitIdOf,
  DEVELOPMENT_SRS,
  provingKeyPolicyOf,
  type ProvingKeys,
  type ProvingKeyPolicy,
  type CircuitInfo,
  type ModelBytesSource,
} from './proving-keys';
export { createGroth16Prover, releaseProvingResources, type Groth16Prover, type ProveRequest } from './prover';
export {
  createProofService,
  ProvingDisabledError,
  ProvingInterruptedError,
  type ProofJournal,
  type ProofJournalRecord,
  type ProofService,
  type ProofServiceOptions,
} from './proof-service';
export { verifyProof } from './verify-proof';
export {
  createNativeGroth16Verifier,
  snarkjsGroth16Verify,
  type Groth16Verify,
  type NativeGroth16Verifier,
} from './native-verifier';
export {
  ensureNativeProver,
  builtNativeProver,
  nativeGroth16Choice,
  nativeProverDir,
  NativeProverUnavailableError,
  type NativeProver,
  type NativeUse,
  type ProverBackend,
} from './native-prover';
export { ProofBundleSchema, ProofStatusSchema, type ProofBundle, type ProofStatus } from '../../contracts/proof';
export { modelBytesFromRegistry } from './model-source';
export { ensurePowersOfTau, ceremonyPtauPath, ptauPath, type PowersOfTau } from './powers-of-tau';
export { readOnnxGraph } from './onnx-initializers';
export { mlpSpecFromGraph, type MlpSpec } from './mlp-spec';
export { generateCircuitSource } from './circuit-source';
export * from './quantize';
export { proofSupportOf, unsupportedBecause, PROVEN_FAMILY } from './proof-support';
export { traceMlp } from './mlp-trace';
