// Public surface of verification: TEE attestation, zkML proofs, re-execution, the verifier service and node fault injection.
export * from './attestation';
export * from './proof';
export * from './reexecution';
export * from './service';
export * from './faults';
export * from './reasons';
export { VerificationError, ProvingSetupError } from './errors';
export {
  receiptDigest,
  recoverReceiptSigner,
  receiptTypedData,
  verifyReceiptSignature,
  type ReceiptLike,
  type ReceiptSignerRecovery,
} from './receipt';
