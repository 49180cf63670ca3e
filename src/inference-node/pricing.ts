// Per-model prices in token units: explicit overrides (options or PAYMENT_MODEL_PRICES `id=amount,...`), else the default.
import { EngineError } from '../errors';
import type { EngineConfig } from '../config';

export class PriceConfigError extends EngineError<'price_config_invalid'> {
  override readonly name = 'PriceConfigError';
  constructor(message: string) {
    super('price_config_invalid', message);
  }
}

export function createPricing(
  config: EngineConfig,
  overrides: Record<string, bigint | number | string> = {},
): (modelId: string) => bigint {
  const prices = new Map<string, bigint>();
  for (const entry of config.payments.modelPrices) {
    const [modelId, amount] = entry.split('=');
    if (!modelId || !amount || !/^\d+$/.test(amount))
      throw new PriceConfigError(`PAYMENT_MODEL_PRICES entry "${entry}" is not modelId=amount`);
    prices.set(modelId, BigInt(amount));
  }
  for (const [modelId, amount] of Object.entries(overrides)) prices.set(modelId, BigInt(amount));
  const fallback = BigInt(config.payments.defaultPrice);
  return (modelId) => prices.get(modelId) ?? fallback;
}
