// Checks a proof bundle against a receipt: the proof is for the receipt's model (our own key for that model id), its
// public inputs are the quantized rows the receipt's inputHash commits to, its public outputs match the receipt's outputs
// within the documented tolerance, and every Groth16 proof verifies.
import { inputHash as hashRows, outputHash as hashOutputs } from '../../models';
import { fail, pass, type CheckOutcome, type ProofReason } from '../reasons';
import type { ReceiptLike } from '../receipt';
import { ProofBundleSchema, type ProofBundle } from '../../contracts/proof';
import type { ProvingKeys } from './proving-keys';
import { snarkjsGroth16Verify, type Groth16Verify } from './native-verifier';
import { dequantizeOutput, fromField, quantizeInput, toField, withinTolerance } from './quantize';

const safeHash = (hash: (r: number[][]) => string, rows: number[][]) => {
  try {
    return hash(rows).toLowerCase();
  } catch {
    return undefined;
  }
};

export async function verifyProof(
  receipt: Pick<ReceiptLike, 'modelId' | 'inputHash' | 'outputHash'>,
  proof: ProofBundle | unknown,
  rows: number[][],
  outputs: number[][],
  keys: ProvingKeys,
  /** The Groth16 check itself: snarkjs, or the native binary (native-verifier.ts). */
  groth16Verify: Groth16Verify = snarkjsGroth16Verify,
): Promise<CheckOutcome<ProofReason>> {
  const parsed = ProofBundleSchema.safeParse(proof);
  if (!parsed.success) return fail('proof_malformed', parsed.error.issues[0]?.message ?? 'invalid proof bundle');
  const bundle = parsed.data;
  if (bundle.modelId !== receipt.modelId || keys.circuit.modelId !== receipt.modelId) {
    return fail('proof_model_mismatch', `proof is for model ${bundle.modelId}, the receipt names ${receipt.modelId}`);
  }
  if (bundle.circuitId !== keys.circuit.circuitId)
    return fail(
      'proof_model_mismatch',
      `proof was made for circuit ${bundle.circuitId}, not this model's ${keys.circuit.circuitId}`,
    );
  if (safeHash(hashRows, rows) !== receipt.inputHash.toLowerCase())
    return fail('proof_input_mismatch', "the rows do not hash to the receipt's inputHash");
  if (safeHash(hashOutputs, outputs) !== receipt.outputHash.toLowerCase())
    return fail('proof_output_mismatch', "the outputs do not hash to the receipt's outputHash");
  if (bundle.proofs.length !== rows.length)
    return fail('proof_input_mismatch', `${bundle.proofs.length} proofs for ${rows.length} rows`);

  const k = keys.circuit.sigmoid.length;
  for (let i = 0; i < rows.length; i++) {
    const { publicSignals, proof: groth16 } = bundle.proofs[i] as ProofBundle['proofs'][number];
    if (publicSignals.length !== k + keys.circuit.inputs)
      return fail('proof_input_mismatch', `row ${i}: ${publicSignals.length} public signals`);
    // The public inputs must be exactly the quantization of the receipt's row: this is what binds the proof to the receipt.
    const expectedX = quantizeInput(rows[i] as number[]).map((v) => toField(v).toString());
    if (expectedX.some((x, j) => publicSignals[k + j] !== x))
      return fail('proof_input_mismatch', `row ${i}: the proof's public input is not the receipt's row`);
    const row = outputs[i] as number[];
    const logits = publicSignals
      .slice(0, k)
      .map((v, j) => dequantizeOutput(fromField(BigInt(v)), keys.circuit.sigmoid[j] as boolean));
    // Softmax is left to the verifier like sigmoid is: computed here from the proven logits (max-shifted for stability).
    const provenRow = keys.circuit.softmax ? softmax(logits) : logits;
    for (let j = 0; j < k; j++) {
      const proven = provenRow[j] as number;
      if (!withinTolerance(proven, row[j] as number)) {
        return fail('proof_output_mismatch', `row ${i} output ${j}: proven ${proven}, receipt says ${row[j]}`);
      }
    }
    if (!(await groth16Verify(keys.verificationKey, publicSignals, groth16)))
      return fail('proof_invalid', `row ${i}: the Groth16 proof does not verify`);
  }
  return pass();
}

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}
