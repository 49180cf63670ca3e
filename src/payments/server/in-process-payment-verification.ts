// A facilitator port that verifies in the node's own process (the official x402 EVM exact verify, read-only) and
// settles, and lists supported kinds, through the facilitator it wraps. Verify is on the answer path; settle is not.
// Skipping the hop saves an HTTP round trip and the facilitator's queue, which settlements fill under load.
import type { x402Facilitator } from '@x402/core/facilitator';
import type { FacilitatorClient } from '@x402/core/server';

export function verifyingPaymentsInProcess(
  remote: FacilitatorClient,
  local: Pick<x402Facilitator, 'verify'>,
): FacilitatorClient {
  return {
    verify: (payload, requirements) => local.verify(payload, requirements),
    settle: (payload, requirements) => remote.settle(payload, requirements),
    getSupported: () => remote.getSupported(),
  };
}
