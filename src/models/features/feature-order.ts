// Column order of each model's input and output; the registry refuses a manifest that disagrees with these lists.

export const MODEL_NAMES = ['supplier-risk', 'lane-eta', 'demand-forecast'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export const SUPPLIER_RISK_FEATURES = [
  'priceRatio',
  'quotedLeadTimeDays',
  'onTimeRate',
  'defectRate',
  'distanceKm',
  'orderToCapacityRatio',
  'regionRisk',
] as const;

export const LANE_ETA_FEATURES = [
  'distanceKm',
  'modeRoad',
  'modeRail',
  'modeSea',
  'modeAir',
  'carrierOnTimeRate',
  'congestionIndex',
  'weatherRisk',
  'dayOfWeekSin',
  'dayOfWeekCos',
  'hazmat',
] as const;

/** Months of history the demand model needs: 12 lags plus the year before them for the seasonal index. */
export const DEMAND_HISTORY_PERIODS = 24;
export const DEMAND_WINDOW = 12;

export const DEMAND_FORECAST_FEATURES = [
  ...Array.from({ length: DEMAND_WINDOW }, (_, i) => `lag${DEMAND_WINDOW - i}`),
  'seasonalIndex2y',
  'levelGrowth',
] as const;

export const FEATURE_ORDER: Record<ModelName, readonly string[]> = {
  'supplier-risk': SUPPLIER_RISK_FEATURES,
  'lane-eta': LANE_ETA_FEATURES,
  'demand-forecast': DEMAND_FORECAST_FEATURES,
};

export const OUTPUT_ORDER: Record<ModelName, readonly string[]> = {
  'supplier-risk': ['lateOrShortProbability'],
  'lane-eta': ['transitHours', 'delayProbability'],
  'demand-forecast': ['demandRatio'],
};
