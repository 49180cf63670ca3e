// Settlement jobs: one per authorization (asset, payer, nonce). Concurrent or repeated /settle calls for the same
// authorization share one on-chain attempt, and a settled job answers later calls with its original result, so a node
// retrying after a lost response never sees its own success as `invalid_exact_evm_nonce_already_used`.
import type { x402Facilitator } from '@x402/core/facilitator';
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@x402/core/types';
import type { SettlementJob } from '../../contracts/facilitator-http';
import { authorizationKeyOf, eip3009PayloadOf } from '../authorization';

export type SettlementJobs = {
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<{ job?: SettlementJob; response: SettleResponse }>;
  get(id: string): SettlementJob | undefined;
};

export function createSettlementJobs(facilitator: x402Facilitator): SettlementJobs {
  const jobs = new Map<string, SettlementJob>();
  const inFlight = new Map<string, Promise<SettleResponse>>();
  // Keyed by job id; holds the exact authorization + signature that settled, so only that one is answered from cache.
  const results = new Map<string, { fingerprint: string; response: SettleResponse }>();

  async function run(id: string, fingerprint: string, payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const job = jobs.get(id) as SettlementJob;
    job.attempts += 1;
    job.status = 'pending';
    job.updatedAt = new Date().toISOString();
    const response = await facilitator.settle(payload, requirements).catch((error: unknown): SettleResponse => ({
      success: false,
      errorReason: 'unexpected_settle_error',
      errorMessage: (error as Error).message,
      transaction: '',
      network: requirements.network,
    }));
    // Another authorization already settled this job: a failed look-alike must not overwrite its record.
    if (results.has(id)) return response;
    job.status = response.success ? 'settled' : 'failed';
    job.transaction = response.transaction || undefined;
    job.errorReason = response.errorReason;
    job.updatedAt = new Date().toISOString();
    if (response.success) results.set(id, { fingerprint, response });
    return response;
  }

  return {
    async settle(payload, requirements) {
      const eip3009 = eip3009PayloadOf(payload.payload);
      // Not an EIP-3009 payload (e.g. Permit2): no job bookkeeping, the scheme answers as it would.
      if (!eip3009) return { response: await facilitator.settle(payload, requirements) };
      const { authorization } = eip3009;
      const id = authorizationKeyOf(requirements.asset, authorization.from, authorization.nonce);
      const fingerprint = JSON.stringify([authorization, eip3009.signature, requirements.payTo, requirements.amount]);
      const settled = results.get(id);
      // A different authorization under a settled nonce goes to the scheme, which reports the nonce as used.
      if (settled?.fingerprint === fingerprint) return { job: jobs.get(id), response: settled.response };
      const running = inFlight.get(`${id}:${fingerprint}`);
      if (running) return { job: jobs.get(id), response: await running };
      const now = new Date().toISOString();
      if (!jobs.has(id)) {
        jobs.set(id, {
          id, status: 'pending', network: requirements.network, asset: requirements.asset, payer: authorization.from,
          payTo: authorization.to, amount: authorization.value, nonce: authorization.nonce, attempts: 0, createdAt: now, updatedAt: now,
        });
      }
      const promise = run(id, fingerprint, payload, requirements).finally(() => inFlight.delete(`${id}:${fingerprint}`));
      inFlight.set(`${id}:${fingerprint}`, promise);
      return { job: jobs.get(id), response: await promise };
    },
    get: (id) => jobs.get(id.toLowerCase()) ?? jobs.get(id),
  };
}
