// One verification job: fetch the receipt, then run attestation, proof and re-execution concurrently, each under its
// own timeout, and assemble the verdict.
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { VerdictSchema, type CheckResult, type Receipt, type Verdict, type VerificationJob } from '../../contracts';
import type { ProofSupport } from '../../models';
import {
  DEFAULT_KEY_MAX_AGE_MS,
  verifyAttestation,
  verifyKeyBirth,
  verifyReceiptAgainstAttestation,
} from '../attestation';
import { verifyProof, type Groth16Verify, type ProofBundle, type ProvingKeys } from '../proof';
import { reexecuteReceipt, type ReexecutionRuntime } from '../reexecution';
import { fail, type CheckOutcome } from '../reasons';
import { recoverOncePerReceipt, recoverReceiptSigner, type ReceiptSignerRecovery } from '../receipt';
import type { NodeClient } from './node-client';
import type { AttestationPolicy } from './policy';
import { retryThrowing, sleep } from '../../retry';
import { runCheck } from './with-timeout';

export type VerificationDeps = {
  nodeClient(nodeUrl: string): NodeClient;
  policy(): Promise<AttestationPolicy>;
  /** The verifier's own keys for a model id (made from its own copy of the model, never taken from the node). */
  provingKeys(modelId: string): Promise<ProvingKeys>;
  runtime: ReexecutionRuntime;
  /** The Groth16 check (the native binary or snarkjs; default snarkjs). */
  groth16Verify?: Groth16Verify;
  /** Whether the zk proof covers a model, from the verifier's own registry; `unsupported` models get that status. */
  proofSupport?(modelId: string): ProofSupport | undefined;
  recoverSigner?: ReceiptSignerRecovery;
  timeouts: {
    attestationMs: number;
    proofMs: number;
    reexecutionMs: number;
    proofPollMs: number;
    /** How long the node may hold each proof poll (long poll); 0 or absent: plain polls every proofPollMs. */
    proofWaitMs?: number;
    receiptMs?: number;
  };
  /** How long after its key was attested a receipt may be signed (key-birth check, after a node restart). */
  keyMaxAgeMs?: number;
  now?: () => Date;
  logger?: Logger;
};

const unavailable = (reason: string, detail: string): CheckResult => ({ status: 'fail', reason, detail });

/** Options for asking a node again while it is only away (connection refused, timeout, 5xx, 429: a restart). */
const whileNodeAway = (signal: AbortSignal | undefined, deadlineMs?: number) => ({
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  signal,
  deadlineMs,
});

/**
 * The receipt, read again while the node is only away, until the attestation timeout (the read comes before the
 * checks' own timers, so a node answering "busy" can delay a job by this much at most); a node that answers that it
 * has no such receipt, or a malformed one, fails at once.
 */
function readReceipt(client: NodeClient, receiptId: string, deps: VerificationDeps): Promise<Receipt> {
  const { attestationMs, receiptMs } = deps.timeouts;
  return retryThrowing(() => client.receipt(receiptId, AbortSignal.timeout(receiptMs ?? 5000)), {
    ...whileNodeAway(undefined, Date.now() + attestationMs),
    onAttempt: (attempt, error, retryInMs) =>
      retryInMs !== undefined &&
      deps.logger?.warn({ err: error, receiptId, attempt, retryInMs }, 'receipt not readable yet, retrying'),
  });
}

export async function verifyReceiptJob(job: VerificationJob, deps: VerificationDeps): Promise<Verdict> {
  const now = deps.now ?? (() => new Date());
  const client = deps.nodeClient(job.nodeUrl);
  const recoverSigner = recoverOncePerReceipt(deps.recoverSigner ?? recoverReceiptSigner);
  let receipt: Receipt;
  try {
    receipt = await readReceipt(client, job.receiptId, deps);
  } catch (error) {
    const failed = unavailable('receipt_unavailable', (error as Error).message);
    return VerdictSchema.parse({
      receiptId: job.receiptId,
      decisionId: job.decisionId,
      checks: { attestation: failed, proof: failed, reexecution: failed },
      verified: false,
      verifiedAt: now().toISOString(),
    });
  }

  let bundle: Promise<ProofBundle | undefined> | undefined;
  const attestation = runCheck(deps.timeouts.attestationMs, async (signal) => {
    const signer = await recoverSigner(receipt).catch(() => undefined);
    if (!signer || signer.toLowerCase() !== receipt.signer.toLowerCase())
      return fail('receipt_signature_invalid', 'the receipt signature does not recover to its signer');
    const nonce = crypto.randomBytes(32);
    const policy = await deps.policy();
    const document = await retryThrowing(() => client.attestation(nonce, signal), whileNodeAway(signal));
    const verified = verifyAttestation(document, { ...policy, now: now(), expectedNonce: nonce });
    if (!verified.ok) return verified;
    const bound = await verifyReceiptAgainstAttestation(receipt, verified.attestation, recoverSigner);
    if (bound.ok || bound.reason !== 'receipt_signer_not_attested') return bound;
    // The live enclave holds another key: the node restarted since it signed this receipt (or the key was never
    // attested). Only the key's birth certificate can tell which.
    const birth = await verifyKeyBirth(
      receipt,
      await retryThrowing(() => client.keyAttestation(receipt.signer, signal), whileNodeAway(signal)),
      policy,
      deps.keyMaxAgeMs ?? DEFAULT_KEY_MAX_AGE_MS,
      recoverSigner,
    );
    return birth ?? bound;
  });

  // A registered model outside the circuit generator's family has no proof to check: say so, never pass it.
  const support = deps.proofSupport?.(receipt.modelId);
  const unsupported: CheckResult | undefined =
    support?.status === 'unsupported'
      ? { status: 'unsupported', reason: 'proof_unsupported', detail: `${support.step}: ${support.reason}` }
      : undefined;
  const proof = unsupported
    ? Promise.resolve(unsupported)
    : runCheck(deps.timeouts.proofMs, async (signal) => {
        bundle = pollProof(client, job.receiptId, deps.timeouts, signal);
        const ready = await bundle;
        if (!ready) return fail('proof_unavailable', 'the node reported the proof as failed');
        const keys = await deps.provingKeys(receipt.modelId);
        return verifyProof(
          receipt,
          ready,
          job.rows ?? ready.rows,
          job.outputs ?? ready.outputs,
          keys,
          deps.groth16Verify,
        );
      });

  const reexecution = runCheck(deps.timeouts.reexecutionMs, async (): Promise<CheckOutcome<string>> => {
    // The caller's rows are preferred; without them, the rows the proof bundle carries (checked against inputHash).
    const rows = job.rows ?? (await bundle?.catch(() => undefined))?.rows;
    if (!rows)
      return fail(
        'reexecution_input_mismatch',
        'no rows to re-execute: the job carried none and no proof bundle arrived',
      );
    return reexecuteReceipt(receipt, rows, deps.runtime, job.outputs);
  });

  const [a, p, r] = await Promise.all([attestation, proof, reexecution]);
  const verdict = VerdictSchema.parse({
    receiptId: job.receiptId,
    decisionId: job.decisionId,
    modelId: receipt.modelId,
    nodeId: receipt.nodeId,
    checks: { attestation: a, proof: p, reexecution: r },
    verified: a.status === 'pass' && p.status === 'pass' && r.status === 'pass',
    verifiedAt: now().toISOString(),
  });
  deps.logger?.info(
    {
      receiptId: job.receiptId,
      verified: verdict.verified,
      attestation: a.reason ?? a.status,
      proof: p.reason ?? p.status,
      reexecution: r.reason ?? r.status,
    },
    'verdict',
  );
  return verdict;
}

async function pollProof(
  client: NodeClient,
  receiptId: string,
  { proofPollMs, proofWaitMs = 0 }: VerificationDeps['timeouts'],
  signal: AbortSignal,
): Promise<ProofBundle | undefined> {
  for (;;) {
    const asked = performance.now();
    // A node that is away (restarting: its proof journal brings the job back) is polled again, like a pending proof.
    const status = await retryThrowing(() => client.proof(receiptId, signal, proofWaitMs), whileNodeAway(signal));
    if (status.status === 'ready') return status.bundle;
    if (status.status === 'failed') return undefined;
    // A poll the node held for its wait is asked again at once; one answered at once (the proof not queued yet, or a
    // node that does not hold polls) waits the poll interval first.
    if (performance.now() - asked < proofWaitMs / 2 || proofWaitMs === 0) await sleep(proofPollMs, signal);
  }
}
