// Whether the zk circuit generator covers a model: read and trace its graph exactly as key setup will, and report the
// step and the operator or tensor that blocked it. Registration records the answer (`proof: unsupported` is never a pass).
import { readOnnxGraph } from '../../models';
import type { ProofSupport } from '../../models';
import { ProvingSetupError } from '../errors';
import { mlpSpecFromGraph } from './mlp-spec';

/** The family the generator proves, as registry entries and `models show` state it. */
export const PROVEN_FAMILY =
  'dense ReLU hidden layers (Gemm, or MatMul + Add) after optional per-feature scaling; linear, sigmoid, binary [1-p, p] or softmax head';

export function proofSupportOf(bytes: Uint8Array): ProofSupport {
  try {
    const spec = mlpSpecFromGraph(readOnnxGraph(bytes));
    const head = spec.softmax
      ? 'softmax'
      : spec.heads.every((h) => h.sigmoid)
        ? 'sigmoid'
        : spec.heads.some((h) => h.sigmoid)
          ? 'mixed'
          : 'linear';
    const widths = [spec.inputs, spec.hidden, ...(spec.deeper ?? []).map((l) => l.b.length), spec.heads.length];
    return { status: 'supported', family: `MLP ${widths.join('-')}, ReLU, ${head} head` };
  } catch (error) {
    if (!(error instanceof ProvingSetupError)) throw error;
    return unsupportedBecause(error);
  }
}

/** `proof: unsupported`, naming the setup step and the operator or tensor that blocked it. */
export function unsupportedBecause(error: ProvingSetupError): ProofSupport {
  return {
    status: 'unsupported',
    step: error.step,
    reason: error.message,
    ...(error.details.operator ? { operator: error.details.operator } : {}),
    ...(error.details.tensor ? { tensor: error.details.tensor } : {}),
  };
}
