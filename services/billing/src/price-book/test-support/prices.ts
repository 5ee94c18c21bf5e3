import type { PlanPrices } from '@caas/contracts';

/** A Pro plan's prices, as the specs use them. */
export const PRO_PRICES: PlanPrices = {
  currency: 'EUR',
  monthlyFee: '29',
  containerHour: '0.001',
  vcpuHour: '0.0125',
  memoryGbHour: '0.004',
  volumeGbMonth: '0.1',
  imageStorageGbMonth: '0.05',
};
