import { randomUUID } from 'node:crypto';
import { migrate } from '@caas/event-store';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { Pool, PoolClient } from 'pg';
import {
  CAAS_HEADERS,
  encodeIntegrationEvent,
  integrationEventHeaders,
  type IntegrationEvent,
} from './integration-event';
import { ensureEventsStream } from './events-stream';
import { JetStreamConsumer, type JetStreamConsumerOptions } from './jetstream-consumer';
import { DLQ_STREAM, EVENTS_STREAM, contextSubjects, deadLetterSubject, eventSubject } from './subjects';
import { connectNats, eventually, purgeSubjects, sleep, storedMessages, testPool, unique } from './test-kit';

// Real NATS and PostgreSQL; the root jest run does not apply per-project testTimeout.
jest.setTimeout(30_000);

let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let pool: Pool;
const running: JetStreamConsumer[] = [];
const durables: string[] = [];
const contexts: string[] = [];

beforeAll(async () => {
  nc = await connectNats();
  js = nc.jetstream();
  jsm = await nc.jetstreamManager();
  await ensureEventsStream(jsm);
  pool = testPool();
  // What the handlers under test write: a stand-in for a service's read model.
  await migrate(pool, 'messaging_test', [
    {
      version: 1,
      name: 'applied',
      sql: 'create table messaging_test.applied (durable text not null, event_id text not null, note text)',
    },
  ]);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  for (const durable of durables.splice(0)) await jsm.consumers.delete(EVENTS_STREAM, durable).catch(() => undefined);
});

afterAll(async () => {
  for (const context of contexts) await purgeSubjects(jsm, EVENTS_STREAM, contextSubjects(context));
  await nc.close();
  await pool.end();
});

function newContext(): string {
  const context = unique('ctx');
  contexts.push(context);
  return context;
}

function newEvent(n: number, type = 'ThingHappened'): IntegrationEvent {
  return {
    id: randomUUID(),
    type,
    streamId: `thing-${randomUUID()}`,
    revision: '0',
    position: `${n}/${n}`,
    data: { n },
    metadata: {
      tenantId: 'tenant-3',
      actor: { type: 'system', id: 'platform' },
      correlationId: 'corr',
      causationId: 'cause',
      schemaVersion: 1,
    },
    created: new Date().toISOString(),
  };
}

/** Publishes like a relay would; `msgID` other than the event id bypasses JetStream's dedup (a re-publication). */
async function publish(context: string, event: IntegrationEvent, msgID = event.id): Promise<number> {
  const ack = await js.publish(eventSubject(context, event.type), encodeIntegrationEvent(event), {
    msgID,
    headers: integrationEventHeaders(event),
  });
  return ack.seq;
}

function consumer(
  overrides: Partial<JetStreamConsumerOptions> & Pick<JetStreamConsumerOptions, 'filterSubjects' | 'handle'>,
): JetStreamConsumer {
  const durable = overrides.durable ?? unique('test-');
  durables.push(durable);
  const instance = new JetStreamConsumer({ nc, pool, durable, ackWait: 2_000, backoff: [50], ...overrides });
  running.push(instance);
  return instance;
}

async function applied(durable: string): Promise<Array<{ event_id: string; note: string }>> {
  const { rows } = await pool.query('select event_id, note from messaging_test.applied where durable = $1', [durable]);
  return rows;
}

async function processed(durable: string): Promise<string[]> {
  const { rows } = await pool.query('select event_id from messaging.processed_events where consumer = $1', [durable]);
  return rows.map((row) => row.event_id).sort();
}

/** Waits until the consumer has delivered up to `lastSeq` and nothing is waiting for an ack. */
async function settled(durable: string, lastSeq: number): Promise<void> {
  await eventually(
    async () => {
      const info = await jsm.consumers.info(EVENTS_STREAM, durable);
      return info.delivered.stream_seq >= lastSeq && info.num_ack_pending === 0 && info.num_pending === 0;
    },
    10_000,
    `consumer ${durable} settled`,
  );
}

describe('JetStreamConsumer', () => {
  it('applies each event once, even when the same event is published again under another msg id', async () => {
    const context = newContext();
    const durable = unique('once-');
    const handled: string[] = [];
    const [e1, e2] = [newEvent(1), newEvent(2)];
    await publish(context, e1);
    await publish(context, e2);
    const lastSeq = await publish(context, e1, `${e1.id}-again`);
    await consumer({
      durable,
      filterSubjects: contextSubjects(context),
      handle: async (event, tx) => {
        handled.push(event.id);
        await tx.query('insert into messaging_test.applied values ($1, $2, $3)', [durable, event.id, 'ok']);
      },
    }).start();

    await settled(durable, lastSeq);
    expect(handled).toEqual([e1.id, e2.id]);
    expect((await applied(durable)).map((row) => row.event_id).sort()).toEqual([e1.id, e2.id].sort());
    expect(await processed(durable)).toEqual([e1.id, e2.id].sort());
  });

  it('acks without handling an event whose processing already committed (a crash before the ack)', async () => {
    const context = newContext();
    const durable = unique('acked-');
    const event = newEvent(1);
    await pool.query('insert into messaging.processed_events (consumer, event_id) values ($1, $2)', [
      durable,
      event.id,
    ]);
    const seq = await publish(context, event);
    const handle = jest.fn(async () => undefined);
    await consumer({ durable, filterSubjects: contextSubjects(context), handle }).start();

    await settled(durable, seq);
    expect(handle).not.toHaveBeenCalled();
  });

  it('retries a failing handler with backoff, then dead-letters the message with the error and terminates it', async () => {
    const context = newContext();
    const durable = unique('dlq-');
    const attempts: number[] = [];
    const event = newEvent(1, 'ThingBroke');
    const seq = await publish(context, event);
    await consumer({
      durable,
      filterSubjects: eventSubject(context, 'ThingBroke'),
      maxDeliver: 3,
      backoff: [200, 600],
      handle: async (_event, tx) => {
        attempts.push(Date.now());
        await tx.query('insert into messaging_test.applied values ($1, $2, $3)', [durable, event.id, 'lost']);
        throw new Error(`boom\non attempt ${attempts.length}`);
      },
    }).start();

    const [deadLetter] = await eventually(async () => {
      const messages = await storedMessages(nc, DLQ_STREAM, deadLetterSubject(durable));
      return messages.length > 0 ? messages : undefined;
    });
    await settled(durable, seq);
    expect(attempts).toHaveLength(3);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(180);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(580);

    expect(deadLetter.subject).toBe(`caas.dlq.${durable}`);
    expect(Buffer.from(deadLetter.data).equals(Buffer.from(encodeIntegrationEvent(event)))).toBe(true);
    const header = (name: string) => deadLetter.headers?.get(name);
    expect(header(CAAS_HEADERS.error)).toBe('boom on attempt 3');
    expect(header(CAAS_HEADERS.originalSubject)).toBe(eventSubject(context, 'ThingBroke'));
    expect(header(CAAS_HEADERS.originalSequence)).toBe(String(seq));
    expect(header(CAAS_HEADERS.deliveryCount)).toBe('3');
    expect(header(CAAS_HEADERS.eventType)).toBe('ThingBroke');
    expect(header(CAAS_HEADERS.tenantId)).toBe('tenant-3');
    expect(header('Nats-Msg-Id')).toBe(`${durable}:${EVENTS_STREAM}:${seq}`);

    // Terminated: no fourth attempt, and every failed attempt's writes were rolled back.
    await sleep(800);
    expect(attempts).toHaveLength(3);
    expect(await applied(durable)).toEqual([]);
    expect(await processed(durable)).toEqual([]);
    await purgeSubjects(jsm, DLQ_STREAM, deadLetterSubject(durable));
  });

  it("rolls back a failed handler's writes, and the retry applies them once", async () => {
    const context = newContext();
    const durable = unique('rollback-');
    const event = newEvent(1);
    let attempt = 0;
    const seq = await publish(context, event);
    await consumer({
      durable,
      filterSubjects: contextSubjects(context),
      handle: async (_event, tx) => {
        attempt += 1;
        await tx.query('insert into messaging_test.applied values ($1, $2, $3)', [durable, event.id, `try ${attempt}`]);
        if (attempt === 1) throw new Error('transient');
      },
    }).start();

    await settled(durable, seq);
    expect(attempt).toBe(2);
    expect(await applied(durable)).toEqual([{ event_id: event.id, note: 'try 2' }]);
    expect(await processed(durable)).toEqual([event.id]);
  });

  it('never dead-letters a message because PostgreSQL is unavailable, however often it is redelivered', async () => {
    const context = newContext();
    const durable = unique('pgdown-');
    // One connection, held by the test: the consumer cannot get a transaction until it is released.
    const starved = testPool({ max: 1, connectionTimeoutMillis: 100 });
    const errors: unknown[] = [];
    const handle = jest.fn(async () => undefined);
    try {
      await consumer({
        durable,
        pool: starved,
        filterSubjects: contextSubjects(context),
        maxDeliver: 2,
        backoff: [50],
        handle,
        onError: (error) => errors.push(error),
      }).start();
      const held = await starved.connect();
      const seq = await publish(context, newEvent(1));
      await eventually(() => errors.length >= 4, 10_000, 'four failed deliveries');
      held.release();

      await settled(durable, seq);
      expect(handle).toHaveBeenCalledTimes(1);
      expect(String(errors[0])).toMatch(/timeout/i);
      expect(await storedMessages(nc, DLQ_STREAM, deadLetterSubject(durable))).toEqual([]);
    } finally {
      await Promise.all(running.splice(0).map((instance) => instance.stop()));
      await starved.end();
    }
  });

  it('drains on stop and resumes where it left off: every event handled exactly once', async () => {
    const context = newContext();
    const durable = unique('resume-');
    const events = Array.from({ length: 30 }, (_, n) => newEvent(n));
    let lastSeq = 0;
    for (const event of events) lastSeq = await publish(context, event);
    const handled: string[] = [];
    const handle = async (event: IntegrationEvent, tx: PoolClient) => {
      handled.push(event.id);
      await tx.query('insert into messaging_test.applied values ($1, $2, $3)', [durable, event.id, 'ok']);
      await sleep(5);
    };
    let stopped: Promise<void> | undefined;
    const first = consumer({
      durable,
      filterSubjects: contextSubjects(context),
      maxMessages: 5,
      handle: async (event, tx) => {
        await handle(event, tx);
        if (handled.length === 8) stopped = first.stop();
      },
    });
    await first.start();
    await eventually(() => stopped !== undefined, 10_000, 'eight events handled');
    await stopped;
    const handledByFirst = handled.length;
    expect(handledByFirst).toBeGreaterThanOrEqual(8);
    expect(handledByFirst).toBeLessThan(30);

    await consumer({ durable, filterSubjects: contextSubjects(context), handle }).start();
    await settled(durable, lastSeq);
    // A message the server sent as the first instance unsubscribed comes back after the
    // ack wait, possibly after later ones: exactly once, but not necessarily in order.
    expect([...handled].sort()).toEqual(events.map((event) => event.id).sort());
    expect((await applied(durable)).length).toBe(30);
  });

  it('dead-letters a message whose body is not an integration event, without retrying it', async () => {
    const context = newContext();
    const durable = unique('poison-');
    const handle = jest.fn(async () => undefined);
    const ack = await js.publish(eventSubject(context, 'Garbage'), new TextEncoder().encode('not json'));
    await consumer({ durable, filterSubjects: contextSubjects(context), handle }).start();

    await settled(durable, ack.seq);
    const [deadLetter] = await storedMessages(nc, DLQ_STREAM, deadLetterSubject(durable));
    expect(deadLetter.headers?.get(CAAS_HEADERS.error)).toMatch(/Not an integration event/);
    expect(deadLetter.headers?.get(CAAS_HEADERS.deliveryCount)).toBe('1');
    expect(handle).not.toHaveBeenCalled();
    await purgeSubjects(jsm, DLQ_STREAM, deadLetterSubject(durable));
  });

  it('creates its durable consumer idempotently and updates its filter and ack wait', async () => {
    const context = newContext();
    const durable = unique('config-');
    const handle = async () => undefined;
    const a = consumer({ durable, filterSubjects: eventSubject(context, 'A'), handle });
    await a.start();
    await a.stop();
    const created = await jsm.consumers.info(EVENTS_STREAM, durable);
    expect(created.config).toMatchObject({
      durable_name: durable,
      ack_policy: 'explicit',
      filter_subject: eventSubject(context, 'A'),
      ack_wait: 2_000_000_000,
      max_deliver: -1,
    });

    const again = consumer({ durable, filterSubjects: eventSubject(context, 'A'), handle });
    await again.start();
    await again.stop();
    expect((await jsm.consumers.info(EVENTS_STREAM, durable)).created).toBe(created.created);

    const changed = consumer({ durable, filterSubjects: contextSubjects(context), ackWait: 3_000, handle });
    await changed.start();
    expect((await jsm.consumers.info(EVENTS_STREAM, durable)).config).toMatchObject({
      filter_subject: contextSubjects(context),
      ack_wait: 3_000_000_000,
    });
  });

  it('takes several filter subjects only from a NATS server that supports them (2.10+), and says why otherwise', async () => {
    const context = newContext();
    const durable = unique('multi-');
    const subjects = [eventSubject(context, 'A'), eventSubject(context, 'B')];
    const handled: string[] = [];
    const multi = consumer({
      durable,
      filterSubjects: subjects,
      handle: async (event) => void handled.push(event.type),
    });
    const [major, minor] = (nc.info?.version ?? '0.0').split('.').map(Number);
    if (major < 2 || (major === 2 && minor < 10)) {
      await expect(multi.start()).rejects.toThrow(/several filter subjects need NATS server 2\.10/);
      return;
    }
    await publish(context, newEvent(1, 'A'));
    await publish(context, newEvent(2, 'C'));
    const seq = await publish(context, newEvent(3, 'B'));
    await multi.start();
    await settled(durable, seq);
    expect(handled).toEqual(['A', 'B']);
  });

  it('rejects filter subjects outside caas.events.>', async () => {
    const start = consumer({ filterSubjects: 'caas.dlq.x', handle: async () => undefined }).start();
    await expect(start).rejects.toThrow(/not a caas\.events\.> subject/);
  });
});
