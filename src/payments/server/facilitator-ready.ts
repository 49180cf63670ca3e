// Fetches the facilitator's /supported kinds for a resource server. Processes start independently (`npm start` launches
// them together), so a facilitator that is not up yet is waited for, with backoff, rather than failing the node's start.
import type { x402ResourceServer } from '@x402/core/server';
import { retryWithBackoff } from '../../retry';
import { NodeRequestError } from '../errors';

export async function initializeWithFacilitator(server: x402ResourceServer, attempts = 8): Promise<void> {
  const ready = await retryWithBackoff(async () => ({ done: true as const, value: await server.initialize() }), {
    attempts,
    baseDelayMs: 250,
  });
  if (!ready.done)
    throw new NodeRequestError(
      'facilitator_unavailable',
      `facilitator did not answer /supported: ${String(ready.outcome)}`,
    );
}
