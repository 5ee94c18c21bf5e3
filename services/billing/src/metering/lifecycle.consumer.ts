import type { SchedulingEvent } from '@caas/contracts';
import type { IntegrationEvent } from '@caas/messaging';
import type { DataSource } from 'typeorm';
import { METERED_EVENT_TYPES, meterCommandsOf } from './lifecycle-facts';
import type { MeterFactsSource } from './meter-facts.consumer';
import { tenantsRunningOn } from './meters.projection';

/** Billing's durable consumer of scheduling's events: one per platform, instances share it. */
export const LIFECYCLE_DURABLE = 'billing-on-scheduling';

const METERED = new Set<string>(METERED_EVENT_TYPES);

/**
 * Scheduling's lifecycle facts (containers, hosts, volume sizes) on the tenants' meters.
 * HostDown names no tenant: the meters' read model says whose containers ran there.
 */
export function lifecycleFacts(dataSource: DataSource): MeterFactsSource {
  return {
    durable: LIFECYCLE_DURABLE,
    context: 'scheduling',
    commandsOf: async (event: IntegrationEvent) => {
      // Most of scheduling's events are nothing to billing: skip them before any query.
      if (!METERED.has(event.type)) return [];
      const hosts = new Map<string, string[]>();
      if (event.type === 'HostDown') {
        const { hostId } = event.data as { hostId: string };
        hosts.set(hostId, await tenantsRunningOn(dataSource.manager, hostId));
      }
      const fact = { type: event.type, data: event.data } as SchedulingEvent;
      return meterCommandsOf(fact, (hostId) => hosts.get(hostId) ?? []);
    },
  };
}
