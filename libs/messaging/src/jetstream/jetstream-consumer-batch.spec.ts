import { randomUUID } from 'node:crypto';
import { migrate } from '@caas/event-store';
import type { JetStreamManager, NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { ensureEventsStream } from './events-stream';
import { encodeIntegrationEvent, integrationEventHeaders, type IntegrationEvent } from './integration-event';
import { JetStreamConsumer } from './jetstream-consumer';
import { DLQ_STREAM, EVENTS_STREAM, contextSubjects, deadLetterSubject, eventSubject } from './subjects';
import { connectNats, eventually, purgeSubjects, storedMessages, testPool, unique } from './test-kit';

/*
 * `batchSize`: messages that arrived together are applied in one transaction. What must
 * hold whatever the batches turn out to be (that depends on arrival, and is not asserted):
 * every event applied once, in stream order, and one failing handler costs only its own
 * event — the others of its batch are still applied exactly once.
 */

jest.setTimeout(30_000);

let nc: NatsConnection;
let jsm: JetStreamManager;
let pool: Pool;
const contexts: string[] = [];
const consumers: JetStreamConsumer[] = [];

beforeAll(async () => {
  nc = await connectNats();
  jsm = await nc.jetstreamManager();
  await ensureEventsStream(jsm);
  pool = testPool();
  await migrate(pool, 'messaging_batch_test', [
    {
      version: 1,
      name: 'applied',
      sql: 'create table messaging_batch_test.applied (durable text not null, event_id text not null, n int not null, sequence bigint not null)',
    },
  ]);
});

afterEach(async () => {
  for (const consumer of consumers.splice(0)) await consumer.stop();
});

afterAll(async () => {
  for (const context of contexts) await purgeSubjects(jsm, EVENTS_STREAM, contextSubjects(context));
  await nc.close();
  await pool.end();
});

function eventNumber(n: number): IntegrationEvent {
  return {
    id: randomUUID(),
    type: 'ThingCounted',
    streamId: `thing-${randomUUID()}`,
    revision: '0',
    position: `${n}/${n}`,
    data: { n },
    metadata: null,
    created: new Date().toISOString(),
  };
}

async function publishAll(context: string, count: number): Promise<IntegrationEvent[]> {
  const js = nc.jetstream();
  const events = Array.from({ length: count }, (_, n) => eventNumber(n));
  await Promise.all(
    events.map((event) =>
      js.publish(eventSubject(context, event.type), encodeIntegrationEvent(event), {
        msgID: event.id,
        headers: integrationEventHeaders(event),
      }),
    ),
  );
  return events;
}

async function applied(durable: string): Promise<Array<{ n: number; sequence: number }>> {
  const { rows } = await pool.query<{ n: number; sequence: string }>(
    'select n, sequence from messaging_batch_test.applied where durable = $1 order by sequence',
    [durable],
  );
  return rows.map((row) => ({ n: row.n, sequence: Number(row.sequence) }));
}

function start(context: string, durable: string, failOn?: number): JetStreamConsumer {
  const consumer = new JetStreamConsumer({
    nc,
    pool,
    durable,
    filterSubjects: contextSubjects(context),
    batchSize: 25,
    maxMessages: 100,
    maxDeliver: 2,
    backoff: [50],
    handle: async (event, tx, { sequence }) => {
      const { n } = event.data as { n: number };
      await tx.query(
        'insert into messaging_batch_test.applied (durable, event_id, n, sequence) values ($1, $2, $3, $4)',
        [durable, event.id, n, sequence],
      );
      if (n === failOn) throw new Error(`event ${n} cannot be applied`);
    },
  });
  consumers.push(consumer);
  return consumer;
}

describe('JetStreamConsumer with batchSize', () => {
  it('applies every event once, in stream order, whether it was waiting or arrived later', async () => {
    const context = unique('batch');
    contexts.push(context);
    const durable = unique('batch-all');
    const waiting = await publishAll(context, 120);
    await start(context, durable).start();
    const later = await publishAll(context, 80);

    const rows = await eventually(
      async () => {
        const rows = await applied(durable);
        return rows.length >= 200 ? rows : undefined;
      },
      20_000,
      '200 events applied',
    );
    const expected = [...waiting, ...later].map((event) => (event.data as { n: number }).n);
    // Stream order is publish order within each group; the groups are one after the other.
    const sequences = rows.map((row) => row.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(200);
    expect(rows.map((row) => row.n).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    const { rows: claimed } = await pool.query(
      'select count(*)::int as n from messaging.processed_events where consumer = $1',
      [durable],
    );
    expect(claimed[0].n).toBe(200);
  });

  it('costs a failing handler only its own event: the rest of its batch is applied once, it is dead-lettered', async () => {
    const context = unique('batchfail');
    contexts.push(context);
    const durable = unique('batch-fail');
    const events = await publishAll(context, 60);
    await start(context, durable, 30).start();

    const letters = await eventually(
      async () => {
        const letters = await storedMessages(nc, DLQ_STREAM, deadLetterSubject(durable));
        return letters.length > 0 ? letters : undefined;
      },
      20_000,
      'the failing event dead-lettered',
    );
    const rows = await eventually(
      async () => {
        const rows = await applied(durable);
        return rows.length >= 59 ? rows : undefined;
      },
      20_000,
      'the other 59 applied',
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].json<IntegrationEvent>().id).toBe(events[30].id);
    // The failing event's write was rolled back every time; every other one stands once.
    const numbers = rows.map((row) => row.n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, n) => n).filter((n) => n !== 30));
  });
});
