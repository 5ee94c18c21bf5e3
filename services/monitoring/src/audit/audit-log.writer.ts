import type { PublicEvent } from '@caas/contracts';
import {
  type EventDelivery,
  EVENTS_SUBJECTS,
  type IntegrationEvent,
  JetStreamConsumer,
  toPublicEvent,
} from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool, PoolClient } from 'pg';

/** The durable on CAAS_EVENTS that feeds the audit log: one per platform, instances share it. */
export const AUDIT_DURABLE = 'monitoring-audit';

/**
 * Stores one public event. The consumer claims each event id once; besides, a re-published
 * event (a relay that restarted after JetStream's duplicate window) arrives under a new
 * sequence with the same id, and the unique event id keeps it to one row.
 */
export async function storeAuditEntry(tx: PoolClient, event: PublicEvent): Promise<void> {
  await tx.query(
    `insert into monitoring.audit_log (sequence, event_id, tenant_id, type, context, stream, revision, created,
       schema_version, actor_type, actor_id, command, correlation_id, causation_id, data)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict do nothing`,
    [
      event.sequence,
      event.id,
      event.tenantId,
      event.type,
      event.context,
      event.stream,
      event.revision,
      event.created,
      event.schemaVersion,
      event.actor?.type ?? null,
      event.actor?.id ?? null,
      event.command,
      event.correlationId,
      event.causationId,
      JSON.stringify(event.data ?? null),
    ],
  );
}

/** Every event of every context (`caas.events.>`) into `monitoring.audit_log`. */
export function auditLogConsumer(
  nc: NatsConnection,
  pool: Pool,
  onError?: (error: unknown) => void,
): JetStreamConsumer {
  return new JetStreamConsumer({
    nc,
    pool,
    durable: AUDIT_DURABLE,
    filterSubjects: EVENTS_SUBJECTS,
    handle: (event: IntegrationEvent, tx: PoolClient, delivery: EventDelivery) =>
      storeAuditEntry(tx, toPublicEvent(event, delivery)),
    // A burst (a deploy, a replay) is written a commit per batch, not per event.
    maxMessages: 100,
    batchSize: 100,
    onError,
  });
}
