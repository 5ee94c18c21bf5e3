import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The shared conformance suite against a real EventStoreDB, when one is configured.
 * CI and local machines have none (no registry to pull it from), so by default this
 * prints a notice and skips; set EVENTSTORE_CONNECTION_STRING (e.g.
 * esdb://localhost:2113?tls=false, as docker-compose.yml runs it) to run it.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const readModelDatabaseUrl = process.env.TEST_DATABASE_URL;

if (connectionString && readModelDatabaseUrl) {
  describeEventStoreConformance('EventStoreDB', {
    connect: async () => EventStoreDbEventStore.fromConnectionString(connectionString),
    childEnv: { EVENTSTORE_CONNECTION_STRING: connectionString, READ_MODEL_DATABASE_URL: readModelDatabaseUrl },
    readModelDatabaseUrl,
  });
} else {
  process.stdout.write(
    '\nNOTICE: EventStoreDB conformance run skipped: EVENTSTORE_CONNECTION_STRING is not set ' +
      '(the PostgreSQL run covers the same suite).\n',
  );
  describe.skip('EventStore conformance: EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run)', () => {
    it('runs the shared suite', () => undefined);
  });
}
