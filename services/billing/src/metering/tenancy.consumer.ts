import type { TenancyEvent } from '@caas/contracts';
import type { IntegrationEvent } from '@caas/messaging';
import type { MeterFactsSource } from './meter-facts.consumer';
import { meterCommandsOfTenancy } from './tenancy-facts';

/** Billing's durable consumer of tenancy's events: one per platform, instances share it. */
export const TENANCY_DURABLE = 'billing-on-tenancy';

/** Tenancy's facts (plans, deletions) on the tenants' meters. */
export const tenancyFacts: MeterFactsSource = {
  durable: TENANCY_DURABLE,
  context: 'tenancy',
  commandsOf: (event: IntegrationEvent) =>
    meterCommandsOfTenancy({ type: event.type, data: event.data } as TenancyEvent, event.created),
};
