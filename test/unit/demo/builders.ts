// Builders for scenario tests: a planned decision and the decision events the engine would publish for it.
import type { DecisionEvent } from '../../../src/contracts/events';
import { loadScenario, planScenario, type PlannedDecision } from '../../../src/demo';

export const HONEST = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
export const FAULTY = '0xd669fb6ea9008f7409eff9ba8bf5c565e7eb6d44';

export function buildPlans(tag = 'test'): PlannedDecision[] {
  return planScenario(loadScenario(), tag);
}

export function buildEvent(
  plan: PlannedDecision,
  type: DecisionEvent['type'],
  overrides: Partial<DecisionEvent['data']> & { nodeId?: string } = {},
): DecisionEvent {
  const { nodeId, ...data } = overrides;
  const attempt = data.attempt ?? 1;
  return {
    specversion: '1.0',
    id: `${plan.decisionId}/${type}/${attempt}`,
    source: 'urn:proofpath:engine',
    type,
    time: new Date().toISOString(),
    subject: plan.decisionId,
    datacontenttype: 'application/json',
    data: {
      decisionId: plan.decisionId,
      kind: plan.spec.kind,
      attempt,
      status: 'X',
      receipts: nodeId
        ? [{ receiptId: `r-${plan.decisionId}-${attempt}`, modelId: 'm', nodeId, paymentRef: 'p' }]
        : undefined,
      ...data,
    },
  };
}
