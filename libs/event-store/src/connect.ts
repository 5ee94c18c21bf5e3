import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreConfig {
  /** When set, EventStoreDB is used (production). */
  readonly eventStoreConnectionString?: string;
  /** Otherwise PostgreSQL, the default everywhere else. */
  readonly databaseUrl?: string;
}

/** Picks the adapter from configuration: EventStoreDB when configured, PostgreSQL otherwise. */
export async function connectEventStore(
  config: EventStoreConfig = {
    eventStoreConnectionString: process.env.EVENTSTORE_CONNECTION_STRING,
    databaseUrl: process.env.DATABASE_URL,
  },
): Promise<EventStore> {
  if (config.eventStoreConnectionString) {
    return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString);
  }
  if (!config.databaseUrl) {
    throw new Error('Set EVENTSTORE_CONNECTION_STRING (EventStoreDB) or DATABASE_URL (PostgreSQL)');
  }
  return PostgresEventStore.connect({ connectionString: config.databaseUrl });
}
