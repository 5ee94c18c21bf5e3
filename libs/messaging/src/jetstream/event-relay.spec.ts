import { randomUUID } from 'node:crypto';
import {
  type EventData,
  type EventStore,
  PgCheckpointStore,
  PostgresEventStore,
  type RecordedEvent,
  serializePosition,
  streamName,
} from '@caas/event-store';
import { connect, type JetStreamManager, type NatsConnection, type PubAck } from 'nats';
import type { Pool, PoolClient } from 'pg';
import { EventRelay, type EventRelayOptions } from './event-relay';
import { ensureEventsStream } from './events-stream';
import { CAAS_HEADERS, decodeIntegrationEvent, toIntegrationEvent } from './integration-event';
import { EVENTS_STREAM, contextSubjects } from './subjects';
import {
  PrivateNatsServer,
  connectNats,
  databaseUrl,
  eventually,
  purgeSubjects,
  storedMessages,
  testPool,
  unique,
} from './test-kit';

// Real NATS and PostgreSQL; the root jest run does not apply per-project testTimeout.
jest.setTimeout(30_000);

let nc: NatsConnection;
let jsm: JetStreamManager;
let store: EventStore;
let pool: Pool;
let checkpoints: PgCheckpointStore;
const relays: EventRelay<PoolClient>[] = [];
const contexts: string[] = [];

beforeAll(async () => {
  nc = await connectNats();
  jsm = await nc.jetstreamManager();
  await ensureEventsStream(jsm);
  store = await PostgresEventStore.connect({
    connectionString: databaseUrl(),
    applicationName: 'messaging-relay-tests',
  });
  pool = testPool();
  checkpoints = await PgCheckpointStore.create(pool);
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

afterAll(async () => {
  for (const context of contexts) await purgeSubjects(jsm, EVENTS_STREAM, contextSubjects(context));
  await nc.close();
  await store.close();
  await pool.end();
});

interface Fixture {
  readonly context: string;
  readonly category: string;
  readonly name: string;
  readonly published: Array<{ event: RecordedEvent; ack: PubAck }>;
  readonly errors: unknown[];
  relay(overrides?: Partial<EventRelayOptions<PoolClient>>): EventRelay<PoolClient>;
}

function fixture(): Fixture {
  const context = unique('ctx');
  contexts.push(context);
  const published: Fixture['published'] = [];
  const errors: unknown[] = [];
  const base = { context, category: unique('relay'), name: unique('relay-') };
  return {
    ...base,
    published,
    errors,
    relay(overrides = {}) {
      const relay = new EventRelay({
        name: base.name,
        context,
        categories: [base.category],
        store,
        checkpoints,
        js: nc.jetstream(),
        onPublished: (event, ack) => published.push({ event, ack }),
        onError: (error) => errors.push(error),
        ...overrides,
      });
      relays.push(relay);
      return relay;
    },
  };
}

function events(count: number, type = 'ThingHappened'): EventData[] {
  return Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    type,
    data: { n },
    metadata: {
      tenantId: 'tenant-7',
      actor: { type: 'user', id: 'u-1' },
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 2,
    },
  }));
}

/** The category's events in store order: what the relay must publish. */
async function storedEvents(category: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of store.readAll({ filter: { categories: [category] } })) all.push(event);
  return all;
}

async function publishedIds(context: string): Promise<string[]> {
  return (await storedMessages(nc, EVENTS_STREAM, contextSubjects(context))).map(
    (msg) => decodeIntegrationEvent(msg.data).id,
  );
}

describe('EventRelay', () => {
  it('publishes every event of its categories once, in store order, with msg id = event id and metadata headers', async () => {
    const f = fixture();
    const [a, b] = [streamName(f.category, randomUUID()), streamName(f.category, randomUUID())];
    await store.appendToStream(a, events(2, 'ThingCreated'));
    await store.appendToStream(b, events(1));
    await store.appendToStream(a, events(2));
    await store.appendToStream(streamName(unique('other'), randomUUID()), events(2)); // not ours
    const relay = f.relay();
    relay.start();
    await relay.caughtUp();
    // and live, after it caught up
    const live = await store.appendToStream(b, events(3));
    await relay.relayedThrough(live.position);

    const expected = await storedEvents(f.category);
    expect(expected).toHaveLength(8);
    const messages = await storedMessages(nc, EVENTS_STREAM, contextSubjects(f.context));
    expect(messages.map((msg) => msg.headers?.get('Nats-Msg-Id'))).toEqual(expected.map((event) => event.id));
    expect(messages.map((msg) => msg.subject)).toEqual(
      expected.map((event) => `caas.events.${f.context}.${event.type}`),
    );
    messages.forEach((msg, i) => {
      expect(decodeIntegrationEvent(msg.data)).toEqual(toIntegrationEvent(expected[i]));
    });
    const first = messages[0];
    expect(JSON.parse(new TextDecoder().decode(first.data))).toMatchObject({
      id: expected[0].id,
      type: 'ThingCreated',
      streamId: a,
      revision: '0',
      position: serializePosition(expected[0].position),
      data: { n: 0 },
      created: expected[0].created.toISOString(),
    });
    const header = (name: string) => first.headers?.get(name);
    expect({
      tenant: header(CAAS_HEADERS.tenantId),
      correlation: header(CAAS_HEADERS.correlationId),
      causation: header(CAAS_HEADERS.causationId),
      actor: header(CAAS_HEADERS.actor),
      type: header(CAAS_HEADERS.eventType),
      stream: header(CAAS_HEADERS.stream),
      revision: header(CAAS_HEADERS.revision),
      schemaVersion: header(CAAS_HEADERS.schemaVersion),
    }).toEqual({
      tenant: 'tenant-7',
      correlation: 'corr-1',
      causation: 'cause-1',
      actor: 'user:u-1',
      type: 'ThingCreated',
      stream: a,
      revision: '0',
      schemaVersion: '2',
    });
    expect(f.published.every(({ ack }) => !ack.duplicate)).toBe(true);
    expect(await checkpoints.load(f.name)).toEqual(expected[expected.length - 1].position);
    expect(f.errors).toEqual([]);
  });

  it('publishes only the public event types it is given, with the public copy of their data', async () => {
    const f = fixture();
    const stream = streamName(f.category, randomUUID());
    await store.appendToStream(stream, [
      ...events(1, 'ThingCreated'),
      ...events(1, 'SecretRecorded'),
      ...events(1, 'ThingChanged'),
    ]);
    const relay = f.relay({
      eventTypes: ['ThingCreated', 'ThingChanged'],
      publicData: (event) => ({ ...(event.data as object), masked: true }),
    });
    relay.start();
    await relay.caughtUp();

    const messages = await storedMessages(nc, EVENTS_STREAM, contextSubjects(f.context));
    expect(messages.map((msg) => decodeIntegrationEvent(msg.data))).toMatchObject([
      { type: 'ThingCreated', data: { n: 0, masked: true } },
      { type: 'ThingChanged', data: { n: 0, masked: true } },
    ]);
  });

  it('restarted from its checkpoint after a stop mid-way, re-publishes nothing and misses nothing', async () => {
    const f = fixture();
    for (let i = 0; i < 10; i += 1) await store.appendToStream(streamName(f.category, randomUUID()), events(20));
    let stopped: Promise<void> | undefined;
    const first = f.relay({
      checkpointEvery: 7,
      onPublished: (event, ack) => {
        f.published.push({ event, ack });
        if (f.published.length === 40) stopped = first.stop();
      },
    });
    first.start();
    await eventually(() => stopped !== undefined, 10_000, '40 publishes');
    await stopped;
    const relayedBeforeStop = f.published.length;
    expect(relayedBeforeStop).toBe(40);
    // stop() saved the checkpoint of the last ack
    expect(await checkpoints.load(f.name)).toEqual(f.published[relayedBeforeStop - 1].event.position);

    await store.appendToStream(streamName(f.category, randomUUID()), events(5));
    const second = f.relay();
    second.start();
    await second.caughtUp();

    const expected = await storedEvents(f.category);
    expect(expected).toHaveLength(205);
    expect(f.published.filter(({ ack }) => ack.duplicate)).toHaveLength(0);
    expect(f.published.map(({ event }) => event.id)).toEqual(expected.map((event) => event.id));
    expect(await publishedIds(f.context)).toEqual(expected.map((event) => event.id));
  });

  it('with its checkpoint lost (a crash before saving it), re-publishes and JetStream drops every duplicate', async () => {
    const f = fixture();
    await store.appendToStream(streamName(f.category, randomUUID()), events(30));
    const first = f.relay();
    first.start();
    await first.caughtUp();
    await first.stop();
    const expected = await storedEvents(f.category);
    // Rewind to the 10th event, as if the relay died after publishing the rest but before saving.
    await pool.query(
      'update consumers.checkpoints set commit_position = $2, prepare_position = $3 where consumer = $1',
      [f.name, expected[9].position.commit.toString(), expected[9].position.prepare.toString()],
    );

    const second = f.relay();
    second.start();
    await second.caughtUp();

    const republished = f.published.slice(30);
    expect(republished.map(({ event }) => event.id)).toEqual(expected.slice(10).map((event) => event.id));
    expect(republished.every(({ ack }) => ack.duplicate)).toBe(true);
    expect(await publishedIds(f.context)).toEqual(expected.map((event) => event.id));
  });

  it('keeps retrying with backoff while NATS is down and publishes everything, once, when it is back', async () => {
    const server = await PrivateNatsServer.start();
    const privateNc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      await ensureEventsStream(await privateNc.jetstreamManager());
      const f = fixture();
      const stream = streamName(f.category, randomUUID());
      const relay = f.relay({
        js: privateNc.jetstream(),
        publishTimeoutMs: 500,
        initialBackoffMs: 50,
        maxBackoffMs: 200,
      });
      await store.appendToStream(stream, events(5));
      relay.start();
      await relay.caughtUp();

      await server.kill();
      const whileDown = await store.appendToStream(stream, events(5));
      await eventually(() => f.errors.length >= 3, 10_000, 'failed publish attempts');
      await server.restart();
      await relay.relayedThrough(whileDown.position);

      const expected = await storedEvents(f.category);
      expect(expected).toHaveLength(10);
      const messages = await storedMessages(privateNc, EVENTS_STREAM, contextSubjects(f.context));
      expect(messages.map((msg) => decodeIntegrationEvent(msg.data).id)).toEqual(expected.map((event) => event.id));
      expect(String(f.errors[0])).toContain('could not publish');
      await relay.stop();
    } finally {
      await privateNc.close().catch(() => undefined);
      await server.dispose();
    }
  });

  it('refuses to run without categories, and with a context that is not a subject token', () => {
    const options = { name: 'x', store, checkpoints, js: nc.jetstream() };
    expect(() => new EventRelay({ ...options, context: 'ok', categories: [] })).toThrow(/at least one category/);
    expect(() => new EventRelay({ ...options, context: 'bad.context', categories: ['c'] })).toThrow(/subject token/);
  });
});
