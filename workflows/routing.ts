// routingDecision: which carrier and route. Predict transit time and delay risk for every candidate route in one
// paid inference, choose by cost plus expected lateness against the promised date, get approval for large loads,
// tender the load, then verify the inference and confirm the tender or retract it (and re-route on a failure).
import { continueAsNew } from '@temporalio/workflow';
import { z } from 'zod';
import { AttemptSchema, DecisionSettingsSchema, modelFor } from '../src/contracts/decision';
import type { DecisionOutcome } from '../src/contracts/decision-outcome';
import { ShipmentSchema, type Shipment } from '../src/contracts/logistics';
import { chooseRoute, DEFAULT_ROUTING_POLICY, type RouteScore } from '../src/decisions/policy';
import { buildLaneEtaRows } from '../src/models/workflow-safe';
import { activities, compensations } from './decision-activities';
import type { DecisionPlan } from './decision-plan';
import { runDecisionProcess, type AttemptContext } from './decision-process';
import { DecisionState } from './decision-state';
import { payAndInfer } from './paid-inference';
import { validate } from './validate';

export const RoutingDecisionInputSchema = z.object({
  shipment: ShipmentSchema,
  settings: DecisionSettingsSchema,
  attempt: AttemptSchema.optional(),
});
export type RoutingDecisionInput = z.input<typeof RoutingDecisionInputSchema>;

export type RouteChoice = RouteScore & { ranking: RouteScore[] };
export type LoadTendered = {
  type: 'load.tendered';
  tenderId: string;
  routeId: string;
  carrierId: string;
  cost: number;
};

export async function routingDecision(input: RoutingDecisionInput): Promise<DecisionOutcome> {
  const {
    shipment,
    settings,
    attempt = { attempt: 1, excludeNodeIds: [] },
  } = validate(RoutingDecisionInputSchema, input, 'routing decision input');
  const state = new DecisionState('routing', shipment, settings, attempt.attempt, attempt.previous);
  const restart = (next: AttemptContext) =>
    continueAsNew<typeof routingDecision>({ shipment, settings, attempt: next });
  return runDecisionProcess(state, routingPlan(state, shipment, attempt.excludeNodeIds), attempt, restart);
}

function routingPlan(
  state: DecisionState,
  original: Shipment,
  excludeNodeIds: string[],
): DecisionPlan<RouteChoice, LoadTendered> {
  const { decisionId, attempt } = state;
  // The shipment as amended by the ERP (promised-by date), latest amendment winning.
  const current = (): Shipment =>
    state.amendments.reduce<Shipment>(
      (s, a) => (a.promisedBy !== undefined ? { ...s, promisedBy: a.promisedBy } : s),
      original,
    );
  return {
    async decide(round) {
      const shipment = current();
      const { rows } = buildLaneEtaRows(shipment);
      const eta = await payAndInfer(
        state,
        `lane-eta#${round}`,
        modelFor(state.settings, 'lane-eta'),
        rows,
        excludeNodeIds,
      );
      const { chosen, ranking } = chooseRoute(shipment, eta.outputs, DEFAULT_ROUTING_POLICY);
      return { ok: true, orderValue: chosen.cost, counterparty: chosen.carrierId, choice: { ...chosen, ranking } };
    },

    async act({ choice }) {
      const shipment = current();
      const { routeId, carrierId, cost } = choice;
      const tender = await activities.tenderLoad({
        decisionId,
        attempt,
        shipmentId: shipment.shipmentId,
        routeId,
        carrierId,
        cost,
        currency: 'USD',
      });
      return {
        reference: tender.tenderId,
        action: { type: 'load.tendered', tenderId: tender.tenderId, routeId, carrierId, cost },
        undo: {
          action: 'retractTender',
          reference: tender.tenderId,
          run: async () =>
            void (await compensations.retractTender({
              decisionId,
              tenderId: tender.tenderId,
              reason: 'decision rolled back',
            })),
        },
      };
    },

    async confirm(acted) {
      await activities.confirmTender({ decisionId, tenderId: acted.reference });
    },
  };
}
