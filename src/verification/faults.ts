// Fault injection for inference nodes: a pure description of each misbehaviour and the hooks a node calls to apply it.
// Every fault names the check and reason code that must catch it; test/integration/verification proves each one.

export const NODE_FAULTS = [
  'wrong_output',
  'output_for_other_model',
  'unattested_signing_key',
  'expired_attestation',
  'foreign_attestation',
  'proof_for_other_input',
  'proof_never_delivered',
] as const;
export type NodeFault = (typeof NODE_FAULTS)[number];

export type FaultDescription = {
  effect: string;
  caughtBy: Array<{ check: 'attestation' | 'proof' | 'reexecution'; reason: string }>;
};

export const FAULT_CATALOGUE: Record<NodeFault, FaultDescription> = {
  wrong_output: {
    effect: "returns outputs that differ from the model's, and signs a receipt over them",
    caughtBy: [
      { check: 'reexecution', reason: 'reexecution_output_mismatch' },
      { check: 'proof', reason: 'proof_output_mismatch' },
    ],
  },
  output_for_other_model: {
    effect: 'runs a substitute model but names the requested model id in the receipt',
    caughtBy: [
      { check: 'reexecution', reason: 'reexecution_output_mismatch' },
      { check: 'proof', reason: 'proof_model_mismatch' },
    ],
  },
  unattested_signing_key: {
    effect: 'signs receipts with a key other than the one bound in its attestation document',
    caughtBy: [{ check: 'attestation', reason: 'receipt_signer_not_attested' }],
  },
  expired_attestation: {
    effect: 'serves attestation documents whose leaf certificate has expired',
    caughtBy: [{ check: 'attestation', reason: 'attestation_expired' }],
  },
  foreign_attestation: {
    effect: 'serves attestation documents signed under a root the verifier has not pinned',
    caughtBy: [{ check: 'attestation', reason: 'attestation_chain_untrusted' }],
  },
  proof_for_other_input: {
    effect: 'proves the model on a different input than the one in the receipt',
    caughtBy: [{ check: 'proof', reason: 'proof_input_mismatch' }],
  },
  proof_never_delivered: {
    effect: 'answers 202 for the proof forever',
    caughtBy: [{ check: 'proof', reason: 'check_timeout' }],
  },
};

/** The hooks a node calls at each step; an honest node uses `createFaultHooks([])`, which changes nothing. */
export type NodeFaultHooks = {
  readonly faults: ReadonlySet<NodeFault>;
  /** Which model actually runs for a request (output_for_other_model substitutes another). */
  modelToRun(requestedModelId: string): string;
  /** Outputs as returned and signed (wrong_output perturbs them). */
  outputsToReturn(outputs: number[][]): number[][];
  /** How the enclave issues documents. */
  attestationMode(): 'honest' | 'expired' | 'foreign';
  /** True when receipts are signed with a key the attestation does not bind. */
  signsWithUnattestedKey(): boolean;
  /** The rows the prover proves (proof_for_other_input perturbs them). */
  rowsToProve(rows: number[][]): number[][];
  /** False when proofs are never produced. */
  deliversProofs(): boolean;
};

export function createFaultHooks(
  faults: Iterable<NodeFault>,
  options: { substituteModelId?: string } = {},
): NodeFaultHooks {
  const set = new Set(faults);
  const has = (f: NodeFault) => set.has(f);
  return {
    faults: set,
    modelToRun: (requested) =>
      has('output_for_other_model') && options.substituteModelId ? options.substituteModelId : requested,
    // A shift of 1 + 10 %: far beyond the quantization tolerance (1e-3 + 0.1 %), so no honest rounding could explain it.
    outputsToReturn: (outputs) =>
      has('wrong_output')
        ? outputs.map((row) => row.map((v, i) => (i === 0 ? v + 1 + 0.1 * Math.abs(v) : v)))
        : outputs,
    attestationMode: () => (has('foreign_attestation') ? 'foreign' : has('expired_attestation') ? 'expired' : 'honest'),
    signsWithUnattestedKey: () => has('unattested_signing_key'),
    rowsToProve: (rows) =>
      has('proof_for_other_input') ? rows.map((row) => row.map((v, i) => (i === 0 ? v + 1 : v))) : rows,
    deliversProofs: () => !has('proof_never_delivered'),
  };
}

export function parseFaults(value: string | undefined): NodeFault[] {
  if (!value) return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(NODE_FAULTS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown node faults: ${unknown.join(', ')} (known: ${NODE_FAULTS.join(', ')})`);
  return names as NodeFault[];
}
