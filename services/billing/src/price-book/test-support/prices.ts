import type { PlanPrices } from '@caas/contracts';
import { DEFAULT_PRICES } from '../price-book.seed';

/** A Pro plan's prices, as the specs use them: the seeded default. */
export const PRO_PRICES: PlanPrices = DEFAULT_PRICES.pro!;
