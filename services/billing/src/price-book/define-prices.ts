import { type PlanPrices, conflict, invalid } from '@caas/contracts';
import { parseAmount } from './money';
import type { PriceBookEvent, PriceBookState } from './price-book.events';

export interface DefinePrices {
  readonly kind: 'DefinePrices';
  readonly planId: string;
  readonly effectiveFrom: string;
  readonly prices: PlanPrices;
  readonly at: string;
}

const AMOUNT_FIELDS = [
  'monthlyFee',
  'containerHour',
  'vcpuHour',
  'memoryGbHour',
  'volumeGbMonth',
  'imageStorageGbMonth',
] as const satisfies ReadonlyArray<keyof PlanPrices>;

/**
 * A new price version. Versions only follow one another in time — a version cannot take
 * effect before the last one does, so what a past period was rated with never changes
 * under it (re-rating takes a new version, or a new projection). Amounts are exact
 * decimals; one currency per plan.
 */
export function definePrices(command: DefinePrices, state: PriceBookState): PriceBookEvent[] {
  const { planId, effectiveFrom, prices, at } = command;
  if (!Number.isFinite(Date.parse(effectiveFrom))) {
    throw invalid('effectiveFrom', 'isIso8601', 'effectiveFrom must be a time (ISO 8601)');
  }
  for (const field of AMOUNT_FIELDS) {
    if (parseAmount(prices[field]) === undefined) {
      throw invalid(`prices.${field}`, 'amount', `${field} must be a decimal ≥ 0 with at most 6 decimals`);
    }
  }
  if (!/^[A-Z]{3}$/.test(prices.currency)) {
    throw invalid('prices.currency', 'isISO4217', 'currency must be a three-letter ISO 4217 code');
  }
  const last = state.versions.at(-1);
  if (last && Date.parse(effectiveFrom) <= Date.parse(last.effectiveFrom)) {
    throw conflict(`Prices of '${planId}' must take effect after version ${last.version} (${last.effectiveFrom})`, {
      planId,
      lastEffectiveFrom: last.effectiveFrom,
    });
  }
  if (last && last.prices.currency !== prices.currency) {
    throw invalid('prices.currency', 'sameCurrency', `currency must stay ${last.prices.currency} for plan '${planId}'`);
  }
  const version = (last?.version ?? 0) + 1;
  const from = new Date(effectiveFrom).toISOString();
  return [{ type: 'PricesDefined', data: { planId, version, effectiveFrom: from, prices, definedAt: at } }];
}
