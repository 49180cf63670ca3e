// Public surface of the verifier service: jobs in, verdicts out (HTTP and a publisher port).
export { startVerifier, type StartVerifierOptions } from './start-verifier';
export { verifyReceiptJob, type VerificationDeps } from './verify-receipt-job';
export { createNodeClient, type NodeClient } from './node-client';
export { loadAttestationPolicy, type AttestationPolicy } from './policy';
export { createVerdictStore, type VerdictPublisher, type VerdictStore } from './verdict-store';
export { runCheck } from './with-timeout';
export { verdictSignerFor, type VerdictSigner } from './verdict-signer';
export {
  checkJobSignature,
  jobSignerFor,
  jobSigningMessage,
  JOB_SIGNATURE_HEADER,
  JOB_TIMESTAMP_HEADER,
  type JobSigner,
  type JobSignatureRefusal,
} from './job-signature';
