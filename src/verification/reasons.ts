// The stable, machine-readable reason codes every verification check reports; the README table is written from this list.

/** Why an attestation check failed (AWS Nitro Enclaves attestation, COSE_Sign1 per RFC 9052). */
export const ATTESTATION_REASONS = [
  'attestation_malformed',
  'attestation_signature_invalid',
  'attestation_chain_untrusted',
  'attestation_expired',
  'attestation_pcr_mismatch',
  'attestation_debug_enclave',
  'attestation_nonce_mismatch',
  'attestation_stale',
  'attestation_development_root_refused',
  'attestation_unavailable',
  'node_not_registered',
  'receipt_signer_not_attested',
  'receipt_model_not_attested',
  'receipt_node_mismatch',
  'allow_list_signature_invalid',
] as const;

/** Why a zkML proof check failed. */
export const PROOF_REASONS = [
  'proof_invalid',
  'proof_input_mismatch',
  'proof_output_mismatch',
  'proof_model_mismatch',
  'proof_malformed',
  'proof_unavailable',
  'proof_failed',
  'proof_circuit_unavailable',
  'proof_unsupported',
] as const;

/** Why a re-execution check failed. */
export const REEXECUTION_REASONS = [
  'reexecution_output_mismatch',
  'reexecution_input_mismatch',
  'reexecution_model_unavailable',
] as const;

/** Why the verifier could not check a receipt at all. */
export const JOB_REASONS = ['receipt_unavailable', 'receipt_signature_invalid', 'check_timeout'] as const;

export type AttestationReason = (typeof ATTESTATION_REASONS)[number];
export type ProofReason = (typeof PROOF_REASONS)[number];
export type ReexecutionReason = (typeof REEXECUTION_REASONS)[number];
export type JobReason = (typeof JOB_REASONS)[number];
export type VerificationReason = AttestationReason | ProofReason | ReexecutionReason | JobReason;

/** The outcome of one check: pass, or fail with a reason and a human-readable detail. */
export type CheckOutcome<R extends string = VerificationReason> =
  { ok: true } | { ok: false; reason: R; detail: string };

export const pass = (): { ok: true } => ({ ok: true });
export const fail = <R extends string>(reason: R, detail: string): { ok: false; reason: R; detail: string } => ({
  ok: false,
  reason,
  detail,
});
