// routingDecision: which carrier and route. Predict transit time and delay risk for every candidate route in one
// paid inference, choose by cost plus expected lateness against the promised date, get approval for large loads,
// tender the load, then verify the inference and confirm the tender or retract it (and re-route on a failure).
import { z } from 'zod';
import { AttemptSchema, DecisionSettingsSchema, modelFor } from '../src/contracts/decision';
import { ShipmentSchema, type Shipment } from '../src/contracts/logistics';
import { chooseRoute, DEFAULT_ROUTING_POLICY } from '../src/decisions/policy';
import { buildLaneEtaRows } from '../src/models/workflow-safe';
import { activities, compensations, DecisionRun, validate } from './decision-run';
import { runDecision, type AttemptContext, type DecisionOutcome, type DecisionPlan } from './decision-flow';

export const RoutingDecisionInputSchema = z.object({
  shipment: ShipmentSchema,
  settings: DecisionSettingsSchema,
  attempt: AttemptSchema.optional(),
});
export type RoutingDecisionInput = z.input<typeof RoutingDecisionInputSchema>;

export async function routingDecision(input: RoutingDecisionInput): Promise<DecisionOutcome> {
  const { shipment: original, settings, attempt = { attempt: 1, excludeNodeIds: [] } } = validate(RoutingDecisionInputSchema, input, 'routing decision input');
  const run = new DecisionRun('routing', original, settings, attempt.attempt, attempt.previous);
  const current = (): Shipment => run.amendments.reduce<Shipment>((s, a) => (a.promisedBy !== undefined ? { ...s, promisedBy: a.promisedBy } : s), original);

  const plan: DecisionPlan = {
    async decide(run, round) {
      const shipment = current();
      const { rows } = buildLaneEtaRows(shipment);
      const eta = await run.payAndInfer(`lane-eta#${round}`, modelFor(settings, 'lane-eta'), rows, attempt.excludeNodeIds);
      const { chosen, ranking } = chooseRoute(shipment, eta.outputs, DEFAULT_ROUTING_POLICY);
      return { ok: true, orderValue: chosen.cost, counterparty: chosen.carrierId, choice: { ...chosen, ranking } };
    },

    async act(run, decided) {
      const shipment = current();
      const choice = decided.choice as { routeId: string; carrierId: string; cost: number };
      const tender = await activities.tenderLoad({
        decisionId: run.decisionId, attempt: run.attempt, shipmentId: shipment.shipmentId, routeId: choice.routeId, carrierId: choice.carrierId, cost: choice.cost, currency: 'USD',
      });
      run.saga.add({ action: 'retractTender', reference: tender.tenderId, run: async () => void (await compensations.retractTender({ decisionId: run.decisionId, tenderId: tender.tenderId, reason: 'decision rolled back' })) });
      return { reference: tender.tenderId, action: { type: 'load.tendered', tenderId: tender.tenderId, routeId: choice.routeId, carrierId: choice.carrierId, cost: choice.cost } };
    },

    async confirm(run, acted) {
      await activities.confirmTender({ decisionId: run.decisionId, tenderId: acted.reference });
    },
  };

  return runDecision(run, plan, attempt, (next: AttemptContext) => [{ shipment: original, settings, attempt: next } satisfies RoutingDecisionInput]);
}
