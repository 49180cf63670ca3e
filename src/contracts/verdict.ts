// The verifier's verdict on one receipt: what each check (attestation, zkML proof, re-execution) concluded.
import { z } from 'zod';

/** `unsupported`: the proof check cannot apply to this model (outside the circuit generator's family); never a pass. */
export const CheckStatusSchema = z.enum(['pass', 'fail', 'timeout', 'unsupported']);

export const CheckResultSchema = z.object({
  status: CheckStatusSchema,
  /** Stable reason code when the check did not pass (e.g. `attestation_pcr_mismatch`, `check_timeout`). */
  reason: z.string().optional(),
  detail: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});

export const VerdictSchema = z.object({
  receiptId: z.string().min(1),
  /** The decision (workflow id) that asked; the bridge signals the verdict to it. */
  decisionId: z.string().optional(),
  modelId: z.string().optional(),
  nodeId: z.string().optional(),
  checks: z.object({
    attestation: CheckResultSchema,
    proof: CheckResultSchema,
    reexecution: CheckResultSchema,
  }),
  /** True only when all three checks passed. */
  verified: z.boolean(),
  verifiedAt: z.iso.datetime(),
  /**
   * The verifier's address and its EIP-712 signature over everything above (src/contracts/verdict-signature.ts).
   * Optional in the schema so an unsigned verdict is refused by name (`verdict_unsigned`) rather than as malformed.
   */
  signer: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')
    .optional(),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte signature')
    .optional(),
});

export const VerificationJobSchema = z.object({
  receiptId: z.string().min(1),
  /** Echoed on the verdict so the bridge can deliver it to the waiting decision. */
  decisionId: z.string().optional(),
  nodeUrl: z.url(),
  /** The rows the caller sent and the outputs it received; when absent they are taken from the node's proof bundle. */
  rows: z.array(z.array(z.number())).optional(),
  outputs: z.array(z.array(z.number())).optional(),
});

export type CheckStatus = z.infer<typeof CheckStatusSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type VerificationJob = z.infer<typeof VerificationJobSchema>;
