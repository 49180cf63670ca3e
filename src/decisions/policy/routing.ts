// Routing policy, pure and deterministic (it runs inside the workflow): pick the route with the lowest cost plus
// expected lateness cost, preferring routes whose predicted transit fits before the promised date.
import type { Shipment } from '../../contracts/logistics';

export type RoutingPolicySettings = {
  /** Cost of a delay event as a share of the freight cost (claims, rebooking). */
  delayPenaltyRate: number;
  /** Cost per hour delivered after the promised date. */
  lateHourPenalty: number;
};

export const DEFAULT_ROUTING_POLICY: RoutingPolicySettings = { delayPenaltyRate: 0.3, lateHourPenalty: 40 };

export type RouteScore = {
  routeId: string;
  carrierId: string;
  cost: number;
  transitHours: number;
  delayProbability: number;
  hoursLate: number;
  expectedPenalty: number;
  score: number;
  meetsPromise: boolean;
};

export type RoutingChoice = { chosen: RouteScore; ranking: RouteScore[] };

/** `predictions[i]` is `[transitHours, delayProbability]` for `shipment.candidates[i]`. */
export function chooseRoute(
  shipment: Shipment,
  predictions: readonly number[][],
  settings: RoutingPolicySettings = DEFAULT_ROUTING_POLICY,
): RoutingChoice {
  const hoursAvailable = (Date.parse(shipment.promisedBy) - Date.parse(shipment.readyAt)) / 3_600_000;
  const ranking = shipment.candidates
    .map((route, i): RouteScore => {
      const [transitHours = Number.POSITIVE_INFINITY, delayProbability = 1] = predictions[i] ?? [];
      const hoursLate = Math.max(0, transitHours - hoursAvailable);
      const expectedPenalty = round2(
        delayProbability * settings.delayPenaltyRate * route.cost + hoursLate * settings.lateHourPenalty,
      );
      return {
        routeId: route.routeId,
        carrierId: route.carrierId,
        cost: route.cost,
        transitHours: round2(transitHours),
        delayProbability,
        hoursLate: round2(hoursLate),
        expectedPenalty,
        score: round2(route.cost + expectedPenalty),
        meetsPromise: hoursLate === 0,
      };
    })
    .sort(
      (a, b) =>
        Number(b.meetsPromise) - Number(a.meetsPromise) || a.score - b.score || a.routeId.localeCompare(b.routeId),
    );
  return { chosen: ranking[0] as RouteScore, ranking };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
