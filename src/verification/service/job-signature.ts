// Who may queue verification work: each POST /v1/jobs is signed (EIP-191 personal message) by the worker's payer key
// over the method, path, a timestamp and the SHA-256 of the exact body bytes; the verifier recovers the signer and
// accepts only configured submitters within a freshness window. A key the worker already holds and whose address is
// public means no shared secret to distribute or rotate, and a captured request cannot be altered or replayed late.
import { createHash } from 'node:crypto';
import type { Hex } from 'viem';
import { recoverAddressFromMessage, signMessage } from '../../signatures';

export const JOB_SIGNATURE_HEADER = 'x-proofpath-signature';
export const JOB_TIMESTAMP_HEADER = 'x-proofpath-timestamp';

export type JobSignatureRefusal = {
  status: 401 | 403;
  reason: 'job_unsigned' | 'job_signature_invalid' | 'job_stale' | 'job_submitter_unknown';
  message: string;
};

/** The text that is signed; the path binds a signature to this endpoint, the hash to these exact bytes. */
export function jobSigningMessage(timestampMs: number, body: Uint8Array | string): string {
  const digest = createHash('sha256').update(body).digest('hex');
  return `proofpath verification job v1\nPOST /v1/jobs\ntimestamp: ${timestampMs}\nbody-sha256: ${digest}`;
}

export type JobSigner = (body: string) => Promise<Record<string, string>>;

/** The worker's side: headers that authenticate one job body. */
export function jobSignerFor(privateKey: Hex, now: () => number = Date.now): JobSigner {
  return async (body) => {
    const timestamp = now();
    // EIP-191 personal message (the "\x19Ethereum Signed Message:\n" prefix), as viem's signMessage.
    const signature = signMessage(jobSigningMessage(timestamp, body), privateKey);
    return { [JOB_SIGNATURE_HEADER]: signature, [JOB_TIMESTAMP_HEADER]: String(timestamp) };
  };
}

/** The verifier's side: the submitter's address, or why the job is refused. */
export async function checkJobSignature(input: {
  body: Uint8Array;
  signature: string | undefined;
  timestamp: string | undefined;
  submitters: readonly string[];
  maxAgeMs: number;
  now?: number;
}): Promise<{ ok: true; submitter: `0x${string}` } | ({ ok: false } & JobSignatureRefusal)> {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) {
    return {
      ok: false,
      status: 401,
      reason: 'job_unsigned',
      message: `a job needs ${JOB_SIGNATURE_HEADER} and ${JOB_TIMESTAMP_HEADER} headers (EIP-191 signature of the engine)`,
    };
  }
  const at = Number(timestamp);
  if (!/^\d{1,16}$/.test(timestamp) || Math.abs((input.now ?? Date.now()) - at) > input.maxAgeMs) {
    return {
      ok: false,
      status: 401,
      reason: 'job_stale',
      message: `the job timestamp is not within ${input.maxAgeMs} ms of the verifier's clock`,
    };
  }
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature))
    return {
      ok: false,
      status: 401,
      reason: 'job_signature_invalid',
      message: 'the signature is not a 65-byte hex string',
    };
  const signer = recoverAddressFromMessage(jobSigningMessage(at, input.body), signature);
  if (!signer)
    return {
      ok: false,
      status: 401,
      reason: 'job_signature_invalid',
      message: 'the signature does not recover to any key (v must be 0, 1, 27 or 28; r and s in [1, n))',
    };
  if (!input.submitters.some((a) => a.toLowerCase() === signer.toLowerCase())) {
    // A signature over other bytes recovers some unrelated address, so a tampered body lands here too.
    return {
      ok: false,
      status: 403,
      reason: 'job_submitter_unknown',
      message: `signer ${signer} is not an allowed job submitter (VERIFIER_JOB_SUBMITTERS)`,
    };
  }
  return { ok: true, submitter: signer };
}
