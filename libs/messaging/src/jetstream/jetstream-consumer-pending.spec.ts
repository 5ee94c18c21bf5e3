import { randomUUID } from 'node:crypto';
import type { JetStreamManager, NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { ensureEventsStream } from './events-stream';
import { type IntegrationEvent, encodeIntegrationEvent, integrationEventHeaders } from './integration-event';
import { JetStreamConsumer } from './jetstream-consumer';
import { EVENTS_STREAM, contextSubjects, eventSubject } from './subjects';
import { connectNats, eventually, purgeSubjects, testPool, unique } from './test-kit';

// Real NATS and PostgreSQL; the root jest run does not apply per-project testTimeout.
jest.setTimeout(30_000);

/*
 * pending(): the durable's backlog as the server counts it, whether or not this instance
 * runs: what a billing clock asks before closing an hour.
 */
describe('JetStreamConsumer.pending', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let pool: Pool;
  const context = unique('ctx');
  const durable = unique('test-pending-');

  beforeAll(async () => {
    nc = await connectNats();
    jsm = await nc.jetstreamManager();
    await ensureEventsStream(jsm);
    pool = testPool();
  });

  afterAll(async () => {
    await jsm.consumers.delete(EVENTS_STREAM, durable).catch(() => undefined);
    await purgeSubjects(jsm, EVENTS_STREAM, contextSubjects(context));
    await nc.close();
    await pool.end();
  });

  const publish = async (n: number) => {
    const event: IntegrationEvent = {
      id: randomUUID(),
      type: 'ThingHappened',
      streamId: `thing-${randomUUID()}`,
      revision: '0',
      position: `${n}/${n}`,
      data: { n },
      metadata: null,
      created: new Date().toISOString(),
    };
    await nc.jetstream().publish(eventSubject(context, event.type), encodeIntegrationEvent(event), {
      msgID: event.id,
      headers: integrationEventHeaders(event),
    });
  };

  it('counts what a stopped consumer has not handled, and nothing once it has', async () => {
    const handled: unknown[] = [];
    const consumer = new JetStreamConsumer({
      nc,
      pool,
      durable,
      filterSubjects: contextSubjects(context),
      handle: async (event) => void handled.push(event.data),
      // Short, in case the server sent messages to the stopped instance: they come back after it.
      ackWait: 2_000,
    });
    // Creates the durable; it has nothing to do yet.
    await consumer.start();
    await consumer.stop();
    expect(await consumer.pending()).toBe(0);

    for (const n of [1, 2, 3]) await publish(n);
    await eventually(async () => (await consumer.pending()) === 3, 10_000, 'three pending');
    expect(await consumer.pending()).toBe(3);

    await consumer.start();
    try {
      await eventually(() => handled.length === 3, 10_000, 'three events handled');
      await eventually(async () => (await consumer.pending()) === 0, 10_000, 'nothing pending');
      expect(await consumer.pending()).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});
