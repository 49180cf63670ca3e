// HTTP client for what the verifier reads from a node: the receipt, a fresh attestation document, and the proof.
import { MAX_PROOF_WAIT_MS, ReceiptRecordSchema, type Receipt } from '../../contracts';
import { leanFetch } from '../../http-client';
import { tracedFetch } from '../../observability';
import { isTransientHttpStatus } from '../../retry';
import { ProofStatusSchema, type ProofStatus } from '../proof';
import { VerificationError } from '../errors';
import type { VerificationReason } from '../reasons';

export type NodeClient = {
  receipt(receiptId: string, signal?: AbortSignal): Promise<Receipt>;
  attestation(nonce: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** The key-birth document of a receipt key the node has had; undefined when the node has none for it. */
  keyAttestation(signer: string, signal?: AbortSignal): Promise<Uint8Array | undefined>;
  /** The proof's status; with `waitMs`, the node may hold a pending answer that long and answer once it is done. */
  proof(receiptId: string, signal?: AbortSignal, waitMs?: number): Promise<ProofStatus>;
};

// The node continues the verification job's trace from each request's traceparent.
const fetchTraced = tracedFetch(leanFetch, 'inference-node');

/**
 * One GET to the node. A node that cannot be reached, or answers with a transient status (only away: restarting behind
 * a proxy, overloaded), fails with `reason` marked retryable (the caller retries within its own deadline); any other
 * status outside `accept` fails for good.
 */
async function getJson(
  url: string,
  signal: AbortSignal | undefined,
  accept: number[],
  reason: VerificationReason,
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetchTraced(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    throw new VerificationError(reason, `GET ${url} failed: ${(error as Error).message}`, true);
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!accept.includes(response.status))
    throw new VerificationError(
      reason,
      `GET ${url} answered ${response.status}`,
      isTransientHttpStatus(response.status),
    );
  return { status: response.status, body };
}

export function createNodeClient(nodeUrl: string): NodeClient {
  const base = nodeUrl.replace(/\/+$/, '');
  return {
    async receipt(receiptId, signal) {
      const { body } = await getJson(
        `${base}/v1/receipts/${encodeURIComponent(receiptId)}`,
        signal,
        [200],
        'receipt_unavailable',
      );
      const parsed = ReceiptRecordSchema.safeParse(body);
      if (!parsed.success)
        throw new VerificationError(
          'receipt_unavailable',
          `node returned a malformed receipt record: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data.receipt;
    },
    async attestation(nonce, signal) {
      const { body } = await getJson(
        `${base}/v1/attestation?nonce=${Buffer.from(nonce).toString('hex')}`,
        signal,
        [200],
        'attestation_unavailable',
      );
      const document = (body as { document?: unknown } | undefined)?.document;
      if (typeof document !== 'string')
        throw new VerificationError('attestation_unavailable', 'node returned no attestation document');
      return Buffer.from(document, 'base64');
    },
    async keyAttestation(signer, signal) {
      const { status, body } = await getJson(
        `${base}/v1/attestation/keys/${encodeURIComponent(signer)}`,
        signal,
        [200, 404],
        'attestation_unavailable',
      );
      const document = (body as { document?: unknown } | undefined)?.document;
      return status === 200 && typeof document === 'string' ? Buffer.from(document, 'base64') : undefined;
    },
    async proof(receiptId, signal, waitMs) {
      const wait = waitMs ? `?waitMs=${Math.min(waitMs, MAX_PROOF_WAIT_MS)}` : '';
      const { status, body } = await getJson(
        `${base}/v1/receipts/${encodeURIComponent(receiptId)}/proof${wait}`,
        signal,
        [200, 202, 404, 500],
        'proof_unavailable',
      );
      // 404: the node has not queued the proof yet (it does so right after answering); keep polling until the timeout.
      if (status === 404) return { status: 'pending' };
      const parsed = ProofStatusSchema.safeParse(body);
      // A 500 is the node's "proving failed" only with a failed proof status in it; a bare 500 (a proxy, a node
      // restarting) is the node being away, asked again.
      if (status === 500 && !(parsed.success && parsed.data.status === 'failed'))
        throw new VerificationError('proof_unavailable', `GET proof of ${receiptId} answered a bare 500`, true);
      if (!parsed.success)
        return {
          status: 'failed',
          reason: 'proof_malformed',
          message: parsed.error.issues[0]?.message ?? 'malformed proof status',
        };
      return parsed.data;
    },
  };
}
