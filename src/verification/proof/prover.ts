// Proves output = model(input) for each row with the model's Groth16 key: the witness generator (circom WASM) runs the
// quantized model, the native prover (or snarkjs) makes the proof. The public signals carry the quantized input and output of the row.
import type { NativeUse } from './native-prover';
import { fullProveInChild, stopProverProcess } from './prover-process';
import { ensureProvingKeys, type ModelBytesSource, type ProvingKeyPolicy } from './proving-keys';
import { quantizeInput, toField } from './quantize';
import { Groth16ProofSchema, type ProofBundle } from '../../contracts/proof';

export type ProveRequest = { receiptId: string; modelId: string; rows: number[][]; outputs: number[][] };
export type Groth16Prover = { prove(request: ProveRequest, rowsToProve?: number[][]): Promise<ProofBundle> };

export function createGroth16Prover(options: {
  cacheDir: string;
  loadModel: ModelBytesSource;
  policy?: ProvingKeyPolicy;
  /** The native prover (native-prover.ts nativeGroth16Choice); undefined: snarkjs. */
  native?: NativeUse;
  /** CPU priority of the prover process (PROVER_NICE; default 19, the lowest). */
  nice?: number;
}): Groth16Prover {
  return {
    async prove(request, rowsToProve = request.rows) {
      const started = performance.now();
      const keys = await ensureProvingKeys(request.modelId, options.cacheDir, options.loadModel, options.policy);
      const proofs: ProofBundle['proofs'] = [];
      // Rows one at a time: one small circuit per model serves any batch size, and each proof stays under a second.
      for (const row of rowsToProve) {
        const x = quantizeInput(row).map((v) => toField(v).toString());
        // In the prover process, not on this thread: the node's event loop keeps answering while it proves.
        const { proof, publicSignals } = await fullProveInChild(
          { x },
          keys.wasm,
          keys.zkey,
          options.native,
          undefined,
          options.nice,
        );
        // In the shape verifiers accept (canonical decimals, affine points): a prover that made anything else fails here.
        proofs.push({ publicSignals, proof: Groth16ProofSchema.parse({ ...proof, protocol: 'groth16' }) });
      }
      return {
        receiptId: request.receiptId,
        modelId: request.modelId,
        circuitId: keys.circuit.circuitId,
        scheme: 'groth16-bn254-circom',
        rows: request.rows,
        outputs: request.outputs,
        proofs,
        provedAt: new Date().toISOString(),
        provingMs: performance.now() - started,
      };
    },
  };
}

/** Ends the prover process and snarkjs' worker threads (the cached BN254 curve); call when a process or test suite shuts down. */
export async function releaseProvingResources(): Promise<void> {
  await stopProverProcess();
  const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128;
  if (curve) {
    (globalThis as { curve_bn128?: unknown }).curve_bn128 = null;
    await curve.terminate();
  }
}
