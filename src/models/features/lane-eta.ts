// Builds lane-eta input rows (one per candidate route) from a shipment; pure, safe inside workflows.
import { ShipmentSchema, type RouteCandidate, type Shipment, type TransportMode } from '../../contracts/logistics';
import { parseFeatureInput } from './parse-input';

export type LaneEtaRows = {
  /** candidateIds[i] is the route whose features are rows[i]. */
  candidateIds: string[];
  /** Columns in LANE_ETA_FEATURES order. */
  rows: number[][];
};

const MODE_ORDER: readonly TransportMode[] = ['road', 'rail', 'sea', 'air'];

export function buildLaneEtaRows(shipment: Shipment): LaneEtaRows {
  const s = parseFeatureInput(ShipmentSchema, shipment);
  // Day of week in UTC (0 = Sunday), so the same event gives the same features on any worker's time zone.
  const day = new Date(s.readyAt).getUTCDay();
  const angle = (2 * Math.PI * day) / 7;
  const hazmat = s.hazmat ? 1 : 0;
  return {
    candidateIds: s.candidates.map((c) => c.routeId),
    rows: s.candidates.map((c) => routeRow(c, Math.sin(angle), Math.cos(angle), hazmat)),
  };
}

function routeRow(c: RouteCandidate, daySin: number, dayCos: number, hazmat: number): number[] {
  const modeOneHot = MODE_ORDER.map((mode) => (mode === c.mode ? 1 : 0));
  return [c.distanceKm, ...modeOneHot, c.carrierOnTimeRate, c.congestionIndex, c.weatherRisk, daySin, dayCos, hazmat];
}
