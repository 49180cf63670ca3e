// The proof bundle a node serves at GET /v1/receipts/:id/proof once ready: one Groth16 proof per input row, and the
// status envelope of that endpoint. Verifiers in other processes (or other teams) parse it with these schemas.
import { z } from 'zod';

/** A field element as a canonical decimal (no sign, no leading zeros): one spelling per value, so every verifier
 *  (snarkjs, the native binary) reads the same number; a padded or reduced spelling is refused as malformed. */
const FieldDecimal = z.string().regex(/^(0|[1-9]\d{0,79})$/, 'a canonical decimal field element');

/** snarkjs' affine JSON: G1 `[x, y, "1"]`, G2 `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`. */
const G1Point = z.tuple([FieldDecimal, FieldDecimal, z.literal('1')]);
const G2Point = z.tuple([
  z.tuple([FieldDecimal, FieldDecimal]),
  z.tuple([FieldDecimal, FieldDecimal]),
  z.tuple([z.literal('1'), z.literal('0')]),
]);

export const Groth16ProofSchema = z.object({
  pi_a: G1Point,
  pi_b: G2Point,
  pi_c: G1Point,
  protocol: z.literal('groth16'),
  curve: z.string(),
});

export const ProofBundleSchema = z.object({
  receiptId: z.string(),
  modelId: z.string(),
  /** sha256 of the canonical verification key the prover used; the verifier compares it with its own key for modelId. */
  circuitId: z.string(),
  scheme: z.literal('groth16-bn254-circom'),
  /** The rows and outputs the receipt's hashes commit to, so a verifier without them can still check the proof. */
  rows: z.array(z.array(z.number())),
  outputs: z.array(z.array(z.number())),
  /** publicSignals = [y_0..y_{K-1}, x_0..x_{F-1}] as decimal field elements (circom puts outputs before public inputs). */
  proofs: z.array(z.object({ publicSignals: z.array(FieldDecimal), proof: Groth16ProofSchema })),
  provedAt: z.iso.datetime(),
  provingMs: z.number().nonnegative(),
});

export type ProofBundle = z.infer<typeof ProofBundleSchema>;

/** What GET /v1/receipts/:id/proof answers: 202 pending, 200 ready, 404 unknown, 500 failed. */
export const ProofStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('ready'), bundle: ProofBundleSchema }),
  z.object({ status: z.literal('failed'), reason: z.string(), message: z.string() }),
]);
export type ProofStatus = z.infer<typeof ProofStatusSchema>;
