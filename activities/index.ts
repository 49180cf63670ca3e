// All activities of the decision workflows, built from their dependencies (no module-level clients).
import type { NodeDirectory } from '../src/decisions/node-directory';
import type { PaymentEscrow } from '../src/decisions/payment-escrow';
import type { NodeAccountability, VerificationRequester } from '../src/decisions/verification-ports';
import type { Erp } from '../src/erp';
import type { DecisionEventPublisher } from '../src/kafka/decision-events';
import type { PayingClient } from '../src/payments/client';
import type { Tms } from '../src/tms';
import { createBackOfficeActivities } from './back-office';
import { createEscrowActivities } from './escrow';
import type { PaymentChannel } from '../src/decisions/payment-channel';
import { createEventActivities } from './events';
import { withRetryClassification } from './failures';
import { createInferenceActivities } from './inference';
import { createVerificationActivities } from './verification';

export type ActivityDependencies = {
  payingClient: PayingClient;
  nodes: NodeDirectory;
  erp: Erp;
  tms: Tms;
  decisionEvents: DecisionEventPublisher;
  verifier: VerificationRequester;
  accountability: NodeAccountability;
  escrow: PaymentEscrow;
  channel: PaymentChannel;
};

export function createActivities(deps: ActivityDependencies) {
  return withRetryClassification({
    ...createInferenceActivities(deps),
    ...createBackOfficeActivities(deps),
    ...createEventActivities(deps),
    ...createVerificationActivities(deps),
    ...createEscrowActivities(deps),
  });
}
