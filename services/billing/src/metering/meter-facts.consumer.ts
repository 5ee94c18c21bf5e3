import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { type IntegrationEvent, JetStreamConsumer, contextSubjects } from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { type MeterCommand, meterDecider } from './meter.decider';
import { meterStream } from './meter.events';

/** One context's facts, as billing meters them. */
export interface MeterFactsSource {
  /** The durable consumer on CAAS_EVENTS (`billing-on-<context>`): one per platform, instances share it. */
  readonly durable: string;
  /** The publishing context: the consumer takes every event under `caas.events.<context>.>`. */
  readonly context: string;
  /**
   * The meter commands one fact is ([] for a fact that is nothing to billing), at most one
   * per tenant: the command id is the fact's id and the tenant.
   */
  readonly commandsOf: (event: IntegrationEvent) => readonly MeterCommand[] | Promise<readonly MeterCommand[]>;
}

export interface MeterFactsDeps {
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly store: EventStore;
}

/**
 * The one place facts from other contexts are recorded on the tenants' meters. The
 * JetStream consumer claims each event once; besides, the fact's event id (with the
 * tenant, for facts that fan out like HostDown) is the command id, so a fact re-published
 * under a new message id, or redelivered after a crash between the append and the claim's
 * commit, finds the events it recorded and records nothing again.
 */
export function meterFactsConsumer({ nc, pool, store }: MeterFactsDeps, source: MeterFactsSource): JetStreamConsumer {
  return new JetStreamConsumer({
    nc,
    pool,
    durable: source.durable,
    filterSubjects: contextSubjects(source.context),
    handle: async (event: IntegrationEvent) => {
      const metadata = (event.metadata ?? {}) as { correlationId?: string };
      for (const command of await source.commandsOf(event)) {
        const { tenantId } = command;
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
