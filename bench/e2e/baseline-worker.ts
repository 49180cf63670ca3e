// The blind-trust baseline's worker, a benchmark process only (never the production path): the production worker, with
// the same workflows, activities, Kafka producer and ERP/TMS clients, except that verification is replaced by trust.
// Where the real worker submits a receipt to the verifier, this one signals the decision a verdict that passes every
// check without checking anything, so the decision confirms and ends as a blind-trust system would: acted on faith.
// Its node serves price-0 models (no 402, no payment, no settlement, no proof); see bench/e2e/lanes.ts.
import { createActivities } from '../../activities';
import { loadConfig } from '../../src/config';
import type { Verdict } from '../../src/contracts/verdict';
import type { VerificationRequester } from '../../src/decisions/verification-ports';
import { connectTemporalClient } from '../../src/decisions/temporal-client';
import { createLogger } from '../../src/log';
import { createActivityDependencies, createDecisionWorker } from '../../src/worker';
import { verdictSignal } from '../../src/contracts/decision-messages';
import { verdictSignerFor } from '../../src/verification';

const NOT_CHECKED = { status: 'pass', detail: 'not checked: blind-trust baseline (benchmark)', durationMs: 0 } as const;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('baseline-worker', config);
  const temporal = await connectTemporalClient(config);
  // Decisions count only verdicts signed by a configured verifier: the baseline signs its blind ones as the verifier.
  const signVerdict = verdictSignerFor(config.keys.verifier);
  const trusting: VerificationRequester = {
    async submit(request) {
      const verdict: Verdict = {
        receiptId: request.receiptId,
        decisionId: request.decisionId,
        checks: { attestation: NOT_CHECKED, proof: NOT_CHECKED, reexecution: NOT_CHECKED },
        verified: true,
        verifiedAt: new Date().toISOString(),
      };
      await temporal.client.workflow.getHandle(request.decisionId).signal(verdictSignal, await signVerdict(verdict));
    },
  };
  const dependencies = await createActivityDependencies(config, logger, { verifier: trusting });
  const { worker, connection } = await createDecisionWorker(config, logger, {
    activities: createActivities(dependencies.deps),
  });
  const running = worker.run();
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await running;
  await connection.close();
  await dependencies.close();
  await temporal.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
