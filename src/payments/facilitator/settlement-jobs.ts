// Settlement jobs: one per authorization (asset, payer, nonce). Concurrent or repeated /settle calls for the same
// authorization share one on-chain attempt, and a settled job answers later calls with its original result, so a node
// retrying after a lost response never sees its own success as `invalid_exact_evm_nonce_already_used`.
import type { x402Facilitator } from '@x402/core/facilitator';
import type { PaymentPayload, PaymentRequirements, SettleResponse } from '@x402/core/types';
import type { SettlementJob } from '../../contracts/facilitator-http';
import type { Hex } from 'viem';
import type { Logger } from '../../log';
import { authorizationKeyOf, eip3009PayloadOf, type Eip3009Authorization } from '../authorization';
import type { AuthorizationUseFinder } from './authorization-use';

export type SettlementJobs = {
  settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<{ job?: SettlementJob; response: SettleResponse }>;
  get(id: string): SettlementJob | undefined;
};

export function createSettlementJobs(
  facilitator: x402Facilitator,
  options: { findAuthorizationUse?: AuthorizationUseFinder; logger?: Logger } = {},
): SettlementJobs {
  const jobs = new Map<string, SettlementJob>();
  const inFlight = new Map<string, Promise<SettleResponse>>();
  // Keyed by job id; holds the exact authorization + signature that settled, so only that one is answered from cache.
  const results = new Map<string, { fingerprint: string; response: SettleResponse }>();

  async function run(
    id: string,
    fingerprint: string,
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    authorization: Eip3009Authorization,
  ): Promise<SettleResponse> {
    const job = jobs.get(id) as SettlementJob;
    job.attempts += 1;
    job.status = 'pending';
    job.updatedAt = new Date().toISOString();
    let response = await facilitator.settle(payload, requirements).catch((error: unknown): SettleResponse => ({
      success: false,
      errorReason: 'unexpected_settle_error',
      errorMessage: (error as Error).message,
      transaction: '',
      network: requirements.network,
    }));
    if (!response.success) response = (await reconciled(requirements, authorization, response)) ?? response;
    // Another authorization already settled this job: a failed look-alike must not overwrite its record.
    if (results.has(id)) return response;
    job.status = response.success ? 'settled' : 'failed';
    job.transaction = response.transaction || undefined;
    job.errorReason = response.errorReason;
    job.updatedAt = new Date().toISOString();
    if (response.success) results.set(id, { fingerprint, response });
    return response;
  }

  /**
   * A failed settle may hide a transfer that happened: our transaction landed after we stopped waiting for it, or an
   * earlier attempt's did (the retry then fails as nonce already used). If the chain shows this authorization's transfer
   * to this recipient, the payment is settled: report that, so a charged payer is never recorded as unpaid.
   */
  async function reconciled(
    requirements: PaymentRequirements,
    authorization: Eip3009Authorization,
    failed: SettleResponse,
  ): Promise<SettleResponse | undefined> {
    if (!options.findAuthorizationUse) return undefined;
    const found = await options
      .findAuthorizationUse({
        asset: requirements.asset as Hex,
        from: authorization.from as Hex,
        to: authorization.to as Hex,
        value: BigInt(authorization.value),
        nonce: authorization.nonce as Hex,
      })
      .catch(() => undefined);
    if (!found) return undefined;
    options.logger?.warn(
      { reason: failed.errorReason, transaction: found.transaction, payer: authorization.from },
      'settle failed but the authorization was used on chain: settled by that transfer',
    );
    return { success: true, transaction: found.transaction, network: requirements.network, payer: authorization.from };
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
          id,
          status: 'pending',
          network: requirements.network,
          asset: requirements.asset,
          payer: authorization.from,
          payTo: authorization.to,
          amount: authorization.value,
          nonce: authorization.nonce,
          attempts: 0,
          createdAt: now,
          updatedAt: now,
        });
      }
      const promise = run(id, fingerprint, payload, requirements, authorization).finally(() =>
        inFlight.delete(`${id}:${fingerprint}`),
      );
      inFlight.set(`${id}:${fingerprint}`, promise);
      return { job: jobs.get(id), response: await promise };
    },
    get: (id) => jobs.get(id.toLowerCase()) ?? jobs.get(id),
  };
}
