import { randomUUID } from 'node:crypto';
import { type EventStore, PgCheckpointStore, PostgresEventStore, streamName } from '@caas/event-store';
import type { JetStreamManager, NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { EventRelay } from './event-relay';
import { ensureEventsStream } from './events-stream';
import type { IntegrationEvent } from './integration-event';
import { JetStreamConsumer } from './jetstream-consumer';
import { EVENTS_STREAM, contextSubjects } from './subjects';
import { connectNats, databaseUrl, eventually, purgeSubjects, testPool, unique } from './test-kit';

jest.setTimeout(30_000);

let nc: NatsConnection;
let jsm: JetStreamManager;
let store: EventStore;
let pool: Pool;

beforeAll(async () => {
  nc = await connectNats();
  jsm = await nc.jetstreamManager();
  await ensureEventsStream(jsm);
  store = await PostgresEventStore.connect({ connectionString: databaseUrl(), applicationName: 'messaging-e2e-tests' });
  pool = testPool();
});

afterAll(async () => {
  await nc.close();
  await store.close();
  await pool.end();
});

it("delivers one service's appends to another service's handler, once each, in order", async () => {
  const context = unique('ctx');
  const category = unique('tenant');
  const durable = unique('e2e-');
  const relay = new EventRelay({
    name: unique('relay-'),
    context,
    categories: [category],
    store,
    checkpoints: await PgCheckpointStore.create(pool),
    js: nc.jetstream(),
  });
  const received: IntegrationEvent[] = [];
  const consumer = new JetStreamConsumer({
    nc,
    pool,
    durable,
    filterSubjects: contextSubjects(context),
    handle: async (event) => void received.push(event),
  });
  try {
    relay.start();
    await consumer.start();
    const stream = streamName(category, randomUUID());
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = randomUUID();
      ids.push(id);
      await store.appendToStream(stream, [{ id, type: i === 0 ? 'TenantCreated' : 'TenantRenamed', data: { i } }]);
    }
    await eventually(() => received.length >= 5, 10_000, 'five events received');
    expect(received.map((event) => event.id)).toEqual(ids);
    expect(received.map((event) => event.revision)).toEqual(['0', '1', '2', '3', '4']);
    expect(received[0]).toMatchObject({ type: 'TenantCreated', streamId: stream, data: { i: 0 }, metadata: null });
  } finally {
    await consumer.stop();
    await relay.stop();
    await jsm.consumers.delete(EVENTS_STREAM, durable).catch(() => undefined);
    await purgeSubjects(jsm, EVENTS_STREAM, contextSubjects(context));
  }
});
