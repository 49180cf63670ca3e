// Builds the demand-forecast input row from a demand history and turns the model's ratio back into units; pure.
import { z } from 'zod';
import { FeatureValidationError } from '../errors';
import { DEMAND_HISTORY_PERIODS, DEMAND_WINDOW } from './feature-order';
import { parseFeatureInput } from './parse-input';

export type DemandForecastRow = {
  /** Columns in DEMAND_FORECAST_FEATURES order. */
  row: number[];
  /** Mean of the last 12 periods: the model predicts next demand / scale. */
  scale: number;
};

const HistorySchema = z
  .array(z.number().min(0, 'must be at least 0').refine(Number.isFinite, 'must be a finite number'))
  .min(DEMAND_HISTORY_PERIODS, `must hold at least ${DEMAND_HISTORY_PERIODS} periods (oldest first)`);

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Uses the latest 24 periods of `demandHistory` (oldest first). */
export function buildDemandForecastRow(demandHistory: readonly number[]): DemandForecastRow {
  const history = parseFeatureInput(HistorySchema, demandHistory, 'demandHistory').slice(-DEMAND_HISTORY_PERIODS);
  const previousYear = history.slice(0, DEMAND_WINDOW);
  const window = history.slice(DEMAND_WINDOW);
  const scale = mean(window);
  const previousScale = mean(previousYear);
  if (scale <= 0 || previousScale <= 0) {
    // A ratio to a zero mean is undefined: intermittent items need a different model, not a division by zero.
    throw new FeatureValidationError('demandHistory', 'each of the last two 12-period windows must have some demand');
  }
  const seasonalIndex2y = (previousYear[0] as number) / previousScale;
  return { row: [...window.map((v) => v / scale), seasonalIndex2y, scale / previousScale], scale };
}

/** Next-period demand in units from the model's output ratio (never negative). */
export function demandFromRatio(ratio: number, scale: number): number {
  return Math.max(0, ratio * scale);
}
