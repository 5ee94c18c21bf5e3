import { migrate, type Migration } from '@caas/event-store';
import type { Pool, PoolClient } from 'pg';

/**
 * Schema `messaging`, append-only: add the next version, never edit a released one.
 * Every table of @caas/messaging belongs in this one list — `migrate` tracks versions per
 * schema, so a second list for `messaging` would silently skip its own version 1.
 */
export const messagingMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'processed-events',
    // One row per (consumer, event) a JetStreamConsumer committed. Rows older than the
    // CAAS_EVENTS max age (30 days) can never be needed again and may be pruned.
    sql: `create table messaging.processed_events (
            consumer     text not null,
            event_id     text not null,
            processed_at timestamptz not null default now(),
            primary key (consumer, event_id))`,
  },
];

export function migrateMessaging(pool: Pool): Promise<void> {
  return migrate(pool, 'messaging', messagingMigrations);
}

/**
 * Records, inside the caller's transaction, that `consumer` handles `eventId`. False when
 * already recorded by a committed transaction. When another transaction holds an
 * uncommitted claim on the same pair, this waits for it and then returns false if it
 * committed — two deliveries of one event can never both be applied.
 */
export async function claimEvent(tx: PoolClient, consumer: string, eventId: string): Promise<boolean> {
  const result = await tx.query(
    'insert into messaging.processed_events (consumer, event_id) values ($1, $2) on conflict do nothing',
    [consumer, eventId],
  );
  return result.rowCount === 1;
}
