// Ports of the verification path as the worker sees it: submitting jobs to a verifier, and holding a faulty node
// to account (dispute its payment, flag it on the registry).
import { EngineError } from '../errors';
import { leanFetch } from '../http-client';
import { tracedFetch } from '../observability';
import { isTransientHttpStatus } from '../retry';

export type VerificationRequest = {
  decisionId: string;
  receiptId: string;
  nodeUrl: string;
  rows: number[][];
  outputs: number[][];
};

export type VerificationRequester = { submit(request: VerificationRequest): Promise<void> };

export type NodeAccountability = {
  disputePayment(input: {
    decisionId: string;
    receiptId: string;
    paymentRef: string;
    nodeId: string;
    reason: string;
  }): Promise<{ reference: string }>;
  flagNode(input: {
    decisionId: string;
    receiptId: string;
    nodeId: string;
    reason: string;
  }): Promise<{ reference: string }>;
};

export class VerifierUnavailableError extends EngineError<'verifier_unavailable'> {
  override readonly name = 'VerifierUnavailableError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('verifier_unavailable', message, { ...options, retryable: true });
  }
}

/**
 * The verifier refused the job for good: a retry sends the same job and is refused the same way (400 job_invalid,
 * 401/403 a signature or submitter it does not accept, 404 no verifier at that URL, 409, 413, 422, ...). Never
 * retryable, so the requestVerification activity fails at once and the decision ends FAILED (activity_failed), undone,
 * instead of being retried for ever. `code` is the verifier's reason.
 */
export class VerificationJobRefusedError extends EngineError {
  override readonly name = 'VerificationJobRefusedError';
  constructor(
    code: string,
    message: string,
    readonly status: number,
  ) {
    super(code, message, { retryable: false, details: { status } });
  }
}

/** The verifier's `{reason, message}`, or the start of whatever else it answered. */
async function refusalOf(response: Response): Promise<{ reason?: string; message: string }> {
  const text = await response.text().catch(() => '');
  try {
    const { reason, message } = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof reason === 'string') return { reason, message: typeof message === 'string' ? message : text };
  } catch {
    // not JSON: a proxy's page or another service at that address
  }
  return { message: text.slice(0, 300) };
}

/** Headers that authenticate one job body to the verifier (the worker signs with its payer key). */
export type JobAuthenticator = (body: string) => Promise<Record<string, string>>;

/**
 * Submits jobs to the verifier's `POST /v1/jobs`, signed by `authenticate`; the verdict returns through Kafka and the
 * bridge as a signal.
 */
export function createHttpVerificationRequester(
  verifierUrl: string,
  authenticate: JobAuthenticator,
  doFetch: typeof fetch = tracedFetch(leanFetch, 'verifier'),
): VerificationRequester {
  return {
    async submit(request) {
      const body = JSON.stringify(request);
      const response = await doFetch(`${verifierUrl.replace(/\/$/, '')}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await authenticate(body)) },
        body,
        signal: AbortSignal.timeout(10_000),
      }).catch((error: unknown) => {
        throw new VerifierUnavailableError(`verifier at ${verifierUrl} unreachable: ${(error as Error).message}`);
      });
      if (isTransientHttpStatus(response.status))
        throw new VerifierUnavailableError(`verifier answered ${response.status}`);
      if (!response.ok) {
        const { reason, message } = await refusalOf(response);
        // A job that reached the verifier late (a stalled worker, a slow network) is signed again by the next attempt
        // with a fresh timestamp: retry it. A clock skew beyond the window fails every attempt, until the activity's
        // own timeout; that is a configuration fault the verifier's logs name.
        if (reason === 'job_stale')
          throw new VerifierUnavailableError(`verifier refused a stale job signature: ${message}`);
        throw new VerificationJobRefusedError(
          reason ?? 'verification_job_refused',
          `verifier at ${verifierUrl} refused the job for receipt ${request.receiptId} (${response.status}` +
            `${reason ? ` ${reason}` : ''}): ${message}`,
          response.status,
        );
      }
    },
  };
}
