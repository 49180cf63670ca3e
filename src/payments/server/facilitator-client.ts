// The node's HTTP client of the facilitator (x402's HTTPFacilitatorClient), carrying the trace context: each verify
// and settle request sends the `traceparent` of the span around it, so the facilitator's spans join the decision.
import { HTTPFacilitatorClient } from '@x402/core/server';
import { traceHeaders } from '../../observability';

export function createHttpFacilitatorClient(url: string): HTTPFacilitatorClient {
  return new HTTPFacilitatorClient({
    url,
    // x402's hook for per-request headers (meant for auth), called in the async context of the verify/settle call.
    createAuthHeaders: async () => {
      const headers = traceHeaders();
      return { verify: headers, settle: headers, supported: headers };
    },
  });
}
