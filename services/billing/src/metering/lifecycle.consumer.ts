import { SYSTEM_ACTOR, type SchedulingEvent } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { type IntegrationEvent, JetStreamConsumer, contextSubjects } from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { METERED_EVENT_TYPES, meterCommandsOf } from './lifecycle-facts';
import { meterDecider } from './meter.decider';
import { meterStream } from './meter.events';
import { tenantsRunningOn } from './meters.projection';

/** Billing's durable consumer of scheduling's events: one per platform, instances share it. */
export const LIFECYCLE_DURABLE = 'billing-on-scheduling';

const METERED = new Set<string>(METERED_EVENT_TYPES);

/**
 * Records scheduling's lifecycle facts on the tenants' meters. The fact's event id (with
 * the tenant, for HostDown's fan-out) is the command id: a redelivered fact finds the
 * events it recorded. The JetStream consumer claims each event once besides.
 */
export function lifecycleConsumer(nc: NatsConnection, pool: Pool, store: EventStore, dataSource: DataSource) {
  return new JetStreamConsumer({
    nc,
    pool,
    durable: LIFECYCLE_DURABLE,
    filterSubjects: contextSubjects('scheduling'),
    handle: async (event: IntegrationEvent) => {
      if (!METERED.has(event.type)) return;
      const hosts = new Map<string, string[]>();
      if (event.type === 'HostDown') {
        const { hostId } = event.data as { hostId: string };
        hosts.set(hostId, await tenantsRunningOn(dataSource.manager, hostId));
      }
      const fact = { type: event.type, data: event.data } as SchedulingEvent;
      for (const command of meterCommandsOf(fact, (hostId) => hosts.get(hostId) ?? [])) {
        const { tenantId } = command;
        const metadata = (event.metadata ?? {}) as { correlationId?: string };
        await handleCommand(store, meterDecider, meterStream(tenantId), command, {
          tenantId,
          actor: SYSTEM_ACTOR,
          correlationId: metadata.correlationId ?? event.id,
          causationId: event.id,
          commandId: `${event.id}:${tenantId}`,
        });
      }
    },
  });
}
