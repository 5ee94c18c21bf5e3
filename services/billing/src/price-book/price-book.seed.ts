import { type PlanPrices, SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { priceBookDecider } from './price-book.decider';
import { priceBookStream } from './price-book.events';

/**
 * The platform's first prices for tenancy's catalogue plans, in force from long before
 * any tenant: finance changes them by defining new versions. Free costs nothing; its
 * limits (tenancy's) are what keep it small.
 */
export const DEFAULT_PRICES: Readonly<Record<string, PlanPrices>> = {
  free: {
    currency: 'EUR',
    monthlyFee: '0',
    containerHour: '0',
    vcpuHour: '0',
    memoryGbHour: '0',
    volumeGbMonth: '0',
    imageStorageGbMonth: '0',
  },
  pro: {
    currency: 'EUR',
    monthlyFee: '29',
    containerHour: '0.001',
    vcpuHour: '0.0125',
    memoryGbHour: '0.004',
    volumeGbMonth: '0.1',
    imageStorageGbMonth: '0.05',
  },
  enterprise: {
    currency: 'EUR',
    monthlyFee: '499',
    containerHour: '0.0008',
    vcpuHour: '0.01',
    memoryGbHour: '0.003',
    volumeGbMonth: '0.08',
    imageStorageGbMonth: '0.04',
  },
};

export const DEFAULT_PRICES_FROM = '2020-01-01T00:00:00.000Z';

/**
 * Defines version 1 of each default plan's prices unless the plan has prices already.
 * The command id is per plan: instances starting together record each version once.
 */
export async function seedPriceBooks(store: EventStore, at: string): Promise<void> {
  for (const [planId, prices] of Object.entries(DEFAULT_PRICES)) {
    const stream = priceBookStream(planId);
    const { state } = await loadState(store, priceBookDecider, stream);
    if (state.versions.length > 0) continue;
    await handleCommand(
      store,
      priceBookDecider,
      stream,
      { kind: 'DefinePrices', planId, effectiveFrom: DEFAULT_PRICES_FROM, prices, at },
      {
        tenantId: null,
        actor: SYSTEM_ACTOR,
        correlationId: `seed-prices:${planId}`,
        causationId: 'billing-start',
        commandId: `seed-prices:${planId}:v1`,
      },
    );
  }
}
