import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import type { EventStore } from '../event-store.port';
import { categoryOf } from '../stream-name';
import { PostgresEventStore } from './postgres-event-store';

const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

const applicationNames = new WeakMap<EventStore, string>();

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describeEventStoreConformance('PostgreSQL', {
  async connect() {
    const applicationName = `conformance-${randomUUID()}`;
    const store = await PostgresEventStore.connect({ connectionString: databaseUrl, applicationName });
    applicationNames.set(store, applicationName);
    return store;
  },

  async beginHeldAppend(stream, events) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('begin');
    // Take a transaction id now, before the newer appends do, then append with it.
    await client.query('select pg_current_xact_id()');
    await client.query('select * from es.append($1, $2, $3, $4)', [
      stream,
      categoryOf(stream),
      'any',
      JSON.stringify(events),
    ]);
    return {
      async commit() {
        await client.query('commit');
        await client.query('notify es_events');
        await client.end();
      },
    };
  },

  async dropConnections(store) {
    const name = applicationNames.get(store);
    if (!name) throw new Error('Unknown store');
    await withClient((client) =>
      client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name like $1', [
        `${name}%`,
      ]),
    );
  },

  childEnv: { DATABASE_URL: databaseUrl, READ_MODEL_DATABASE_URL: databaseUrl, EVENTSTORE_CONNECTION_STRING: '' },
  readModelDatabaseUrl: databaseUrl,
});
