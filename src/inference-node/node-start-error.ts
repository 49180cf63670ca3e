// Why an inference node refused to start. Never retryable: each one needs a configuration change, named in the message.
import { EngineError } from '../errors';

export const NODE_START_REASONS = {
  /** Production without an injected enclave: this project has no Nitro NSM device driver. */
  nitro_nsm_unavailable:
    'no Nitro Secure Module: production needs an injected enclave (the development enclave is refused)',
  /** NODE_FAULTS (or the faults option) set in production mode. */
  node_faults_refused: 'fault injection is for tests and demos only and is refused in production mode',
  /** NODE_FAULTS names a fault that does not exist. */
  node_faults_unknown: 'unknown fault name',
  /** output_for_other_model without a substitute model, or one the node does not serve. */
  substitute_model_invalid: 'output_for_other_model needs a substitute model the node serves',
  /** The key the node would register itself with is not the operator key the verifier trusts. */
  allow_list_operator_mismatch: 'the allow-list would be signed by a key the verifier does not trust',
  /** PROVER_BACKEND=native and no native prover is there: not built by `stack up`, or PROVER_NATIVE_BINARY is not ours. */
  native_prover_unavailable: 'PROVER_BACKEND=native but no built native Groth16 prover was found',
} as const;

export type NodeStartReason = keyof typeof NODE_START_REASONS;

/** Thrown by startInferenceNode before it listens; `code` is stable and machine-readable. */
export class NodeStartError extends EngineError<NodeStartReason> {
  override readonly name = 'NodeStartError';
  constructor(code: NodeStartReason, message: string = NODE_START_REASONS[code]) {
    super(code, message);
  }
}
