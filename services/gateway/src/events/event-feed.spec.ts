import { createHash, randomUUID } from 'node:crypto';
import { type PublicEvent, TENANCY } from '@caas/contracts';
import {
  EVENTS_STREAM,
  type IntegrationEvent,
  encodeIntegrationEvent,
  ensureEventsStream,
  eventSubject,
  integrationEventHeaders,
} from '@caas/messaging';
import { fromHeaders } from '@caas/messaging/src/rpc/request-meta';
import { type PrivateNats, SseClient, type SseMessage, eventually, sleep, startPrivateNats } from '@caas/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { createGatewayApp } from '../app';
import type { GatewayConfig } from '../config';
import { TokenService } from '../auth/token.service';
import { testGatewayConfig } from '../testing/test-config';
import { EVENT_FEED_DEFAULTS } from './event-feed';
import { POSITION_EXPIRED_EVENT } from './sse-frames';

/*
 * GET /v1/events/stream of the real gateway app over real HTTP, on a nats-server with
 * JetStream of this file's own: the events are published to CAAS_EVENTS as a service's
 * relay publishes them, and a plain NATS responder plays tenancy's membership and
 * API-key checks. Without a nats-server binary the tests are skipped.
 */

const tenantA = randomUUID();
const tenantB = randomUUID();
const API_KEY = `caas_${randomUUID().replace(/-/g, '')}`;
const KEEPALIVE_MS = 300;

let nats: PrivateNats | null = null;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let config: GatewayConfig;
let tokens: TokenService;
let app: NestFastifyApplication;
let baseUrl: string;
const clients: SseClient[] = [];

function answerTenancy(): void {
  const respond = (subject: string, handle: (data: Record<string, unknown>, actorId: string) => unknown) =>
    nc.subscribe(subject, {
      queue: 'tenancy',
      callback: (_error, message) => {
        const packet = message.json<{ id: string; data: Record<string, unknown> }>();
        const answer = handle(packet.data, fromHeaders(message.headers).actor.id) as object;
        message.respond(JSON.stringify({ id: packet.id, ...answer, isDisposed: true }));
      },
    });
  // Every user is a viewer (the least role) of whichever tenant the token names.
  respond(TENANCY.membership, (data, userId) => ({
    response: { tenantId: data.tenantId, userId, role: 'viewer' },
  }));
  respond(TENANCY.verifyApiKey, (data) =>
    data.secret === API_KEY
      ? { response: { keyId: randomUUID(), tenantId: tenantA, role: 'viewer' } }
      : { err: { code: 'unauthenticated', message: 'Invalid API key' } },
  );
}

beforeAll(async () => {
  nats = await startPrivateNats({ jetstream: true });
  if (!nats) return;
  nc = await connect({ servers: nats.url });
  js = nc.jetstream();
  jsm = await nc.jetstreamManager();
  await ensureEventsStream(jsm);
  answerTenancy();
  await nc.flush();
  config = testGatewayConfig({
    natsUrl: nats.url,
    // Small pulls, so that the slow-client tests cross many pull boundaries.
    eventFeed: { keepaliveIntervalMs: KEEPALIVE_MS, batchSize: 8, pullExpiresMs: 1_000 },
  });
  tokens = new TokenService(config.jwtSecret);
  app = await createGatewayApp(config);
  await app.listen(0, '127.0.0.1');
  baseUrl = await app.getUrl();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await app?.close();
  await nc?.close();
  await nats?.stop();
});

const onPrivateNats = (name: string, test: () => Promise<void>, timeoutMs?: number) =>
  it(
    name,
    async () => {
      if (!nats) return console.warn(`skipped (no nats-server binary for a private NATS): ${name}`);
      await test();
    },
    timeoutMs,
  );

function tenantToken(tenantId: string): string {
  const user = { userId: randomUUID(), email: 'u@example.com', platformRoles: [] };
  const principal = tokens.verify(tokens.issueUserToken(user).token);
  return tokens.issueTenantToken(principal, { tenantId, userId: user.userId, role: 'viewer' }).token;
}

/** Connects to the feed as a member of `tenantId` (or with the given credential). */
async function follow(
  tenantId: string,
  query = '',
  options: { lastEventId?: string; authorization?: string; url?: string } = {},
): Promise<SseClient> {
  const client = await SseClient.connect(`${options.url ?? baseUrl}/v1/events/stream${query}`, {
    headers: { authorization: options.authorization ?? `Bearer ${tenantToken(tenantId)}` },
    lastEventId: options.lastEventId,
  });
  clients.push(client);
  return client;
}

async function reconnect(client: SseClient): Promise<SseClient> {
  const again = await client.reconnect();
  clients.push(again);
  return again;
}

/** Publishes an event to CAAS_EVENTS as a service's relay does; answers its stream sequence. */
async function publish(
  tenantId: string | null,
  type = 'EnvironmentCreated',
  data: Record<string, unknown> = { name: randomUUID() },
): Promise<number> {
  const event: IntegrationEvent = {
    id: randomUUID(),
    type,
    streamId: `environment-${randomUUID()}`,
    revision: '0',
    position: '0/0',
    data,
    metadata: {
      tenantId,
      actor: { type: 'user', id: randomUUID() },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
      command: 'CreateEnvironment',
    },
    created: new Date().toISOString(),
  };
  const ack = await js.publish(eventSubject('tenancy', type), encodeIntegrationEvent(event), {
    msgID: event.id,
    headers: integrationEventHeaders(event),
  });
  return ack.seq;
}

const body = (message: SseMessage) => JSON.parse(message.data) as PublicEvent<Record<string, unknown>>;
const sequences = (messages: readonly SseMessage[]) => messages.map((message) => body(message).sequence);

/** The gateway's feed consumers on CAAS_EVENTS. */
async function feedConsumers() {
  const consumers = await jsm.consumers.list(EVENTS_STREAM).next();
  return consumers.filter((consumer) => consumer.name.startsWith(EVENT_FEED_DEFAULTS.consumerPrefix));
}

async function expectNoFeedConsumers(): Promise<void> {
  const left = await eventually(feedConsumers, (consumers) => consumers.length === 0);
  expect(left.map((consumer) => consumer.name)).toEqual([]);
}

describe('GET /v1/events/stream', () => {
  onPrivateNats("streams the caller's tenant's new events as SSE, and no other tenant's", async () => {
    await publish(tenantA); // before the connect: not part of a feed without a position
    const a = await follow(tenantA);
    const b = await follow(tenantB);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(a.headers['cache-control']).toBe('no-store');

    const a1 = await publish(tenantA, 'EnvironmentCreated', { name: 'one' });
    await publish(null, 'UserSignedUp'); // platform-level: nobody's tenant
    const b1 = await publish(tenantB, 'EnvironmentCreated', { name: 'bee' });
    const a2 = await publish(tenantA, 'EnvironmentRenamed', { name: 'two' });

    const seenByA = await a.waitFor((messages) => messages.length >= 2);
    expect(seenByA.map((m) => [m.lastEventId, m.event])).toEqual([
      [String(a1), 'EnvironmentCreated'],
      [String(a2), 'EnvironmentRenamed'],
    ]);
    expect(body(seenByA[0])).toMatchObject({
      sequence: a1,
      type: 'EnvironmentCreated',
      context: 'tenancy',
      tenantId: tenantA,
      command: 'CreateEnvironment',
      data: { name: 'one' },
    });
    // Keepalives move B's position past A's last event: by then B's feed has read all of A's.
    const positionOfB = await eventually(
      async () => Number(b.lastEventId),
      (id) => id >= a2,
    );
    expect(positionOfB).toBeGreaterThanOrEqual(a2);
    expect(sequences(b.messages)).toEqual([b1]);
  });

  onPrivateNats('accepts an API key of the tenant', async () => {
    const client = await follow(tenantA, '', { authorization: `Bearer ${API_KEY}` });
    const sequence = await publish(tenantA);
    expect(sequences(await client.waitFor((m) => m.length >= 1))).toEqual([sequence]);
  });

  onPrivateNats('resumes after a disconnect with Last-Event-ID: no gap, no duplicate', async () => {
    const first = await follow(tenantA);
    const e1 = await publish(tenantA);
    const e2 = await publish(tenantA);
    expect(sequences(await first.waitFor((m) => m.length >= 2))).toEqual([e1, e2]);
    await first.close();

    const missed: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      missed.push(await publish(tenantA));
      await publish(tenantB);
    }
    const second = await reconnect(first);
    const sentAfter = await publish(tenantA);
    const seen = await second.waitFor((m) => m.length >= missed.length + 1);
    expect(sequences(seen)).toEqual([...missed, sentAfter]);
    await sleep(KEEPALIVE_MS * 2);
    expect(second.messages).toHaveLength(missed.length + 1);
  });

  onPrivateNats(
    'announces its start position, so a reconnect without any event in between misses nothing',
    async () => {
      const quiet = await follow(tenantA);
      await eventually(
        async () => quiet.lastEventId,
        (id) => id !== '',
      );
      await quiet.close();
      const meanwhile = await publish(tenantA);
      const again = await reconnect(quiet);
      expect(sequences(await again.waitFor((m) => m.length >= 1))).toEqual([meanwhile]);
    },
  );

  onPrivateNats('takes ?lastEventId= on a first connect, and Last-Event-ID over it', async () => {
    const e1 = await publish(tenantA);
    const e2 = await publish(tenantA);
    const e3 = await publish(tenantA);
    const byQuery = await follow(tenantA, `?lastEventId=${e1}`);
    expect(sequences(await byQuery.waitFor((m) => m.length >= 2))).toEqual([e2, e3]);
    const byHeader = await follow(tenantA, `?lastEventId=${e1}`, { lastEventId: String(e2) });
    expect(sequences(await byHeader.waitFor((m) => m.length >= 1))).toEqual([e3]);
    const e4 = await publish(tenantA);
    expect(sequences(await byHeader.waitFor((m) => m.length >= 2))).toEqual([e3, e4]);
  });

  onPrivateNats('narrows to ?types=', async () => {
    const from = await publish(tenantA, 'Marker');
    const wanted = [
      await publish(tenantA, 'EnvironmentCreated'),
      await publish(tenantA, 'EnvironmentDeleted'),
      await publish(tenantA, 'MemberAdded'),
    ];
    await publish(tenantA, 'EnvironmentRenamed');
    const last = await publish(tenantA, 'EnvironmentCreated');
    const client = await follow(tenantA, `?lastEventId=${from}&types=EnvironmentCreated,MemberAdded`);
    const seen = await client.waitFor((m) => m.length >= 3);
    expect(seen.map((m) => [body(m).sequence, m.event])).toEqual([
      [wanted[0], 'EnvironmentCreated'],
      [wanted[2], 'MemberAdded'],
      [last, 'EnvironmentCreated'],
    ]);
  });

  onPrivateNats('moves a quiet client past other tenants’ events with keepalives', async () => {
    const client = await follow(tenantA);
    const others = await publish(tenantB);
    await eventually(
      async () => client.lastEventId,
      (id) => Number(id) >= others,
    );
    expect(client.lastEventId).toBe(String(others));
    expect(client.messages).toEqual([]);
    expect(client.comments).toContain('keepalive');
  });

  onPrivateNats(
    'a stalled client holds the feed back (the rest waits in JetStream) and then gets everything, in order',
    async () => {
      const client = await follow(tenantA);
      client.pause();
      const published: number[] = [];
      const payload = 'x'.repeat(48 * 1024);
      for (let i = 0; i < 400; i += 1) published.push(await publish(tenantA, 'Big', { i, payload }));
      // About 19 MB against a paused socket: the feed must stop pulling well before the end.
      const stalled = await eventually(
        async () => {
          const [before] = await feedConsumers();
          await sleep(300);
          const [after] = await feedConsumers();
          return { before, after };
        },
        ({ before, after }) => !!before && !!after && before.delivered.stream_seq === after.delivered.stream_seq,
        { timeoutMs: 20_000 },
      );
      expect(stalled.after!.num_pending).toBeGreaterThan(0);

      client.resume();
      const seen = await client.waitFor((m) => m.length >= published.length, { timeoutMs: 30_000 });
      expect(sequences(seen)).toEqual(published);
      expect(seen.map((m) => body(m).data.i)).toEqual(published.map((_, i) => i));
      expect(seen.every((m) => body(m).data.payload === payload)).toBe(true);
    },
    90_000,
  );

  onPrivateNats(
    'a slow reader loses nothing while events keep arriving',
    async () => {
      const client = await follow(tenantA);
      const digest = (i: number) => createHash('sha256').update(`event ${i}`).digest('hex');
      const payload = 'y'.repeat(24 * 1024);
      let reading = true;
      // Reads in short bursts with long pauses, slower than the events arrive.
      const slow = (async () => {
        while (reading) {
          client.pause();
          await sleep(40);
          client.resume();
          await sleep(5);
        }
      })();
      const published: number[] = [];
      for (let i = 0; i < 600; i += 1) {
        published.push(await publish(tenantA, 'Big', { i, digest: digest(i), payload }));
        if (i % 3 === 0) await publish(tenantB, 'Big', { payload });
      }
      const seen = await client.waitFor((m) => m.length >= published.length, { timeoutMs: 60_000 });
      reading = false;
      await slow;
      client.resume();
      expect(sequences(seen)).toEqual(published);
      expect(seen.every((m, i) => body(m).data.digest === digest(i))).toBe(true);
    },
    120_000,
  );

  onPrivateNats('says when the position asked for has expired, then goes on from the oldest retained', async () => {
    const old = await publish(tenantA);
    await publish(tenantA);
    const kept = await publish(tenantA);
    await jsm.streams.purge(EVENTS_STREAM, { seq: kept });
    const client = await follow(tenantA, '', { lastEventId: String(old - 1) });
    const seen = await client.waitFor((m) => m.length >= 2);
    expect(seen[0]).toMatchObject({ event: POSITION_EXPIRED_EVENT, lastEventId: String(old - 1) });
    expect(JSON.parse(seen[0].data)).toEqual({ lastEventId: old - 1, firstRetainedSequence: kept });
    expect(body(seen[1]).sequence).toBe(kept);
  });

  onPrivateNats('answers 400 naming the field for a bad lastEventId, Last-Event-ID or types', async () => {
    const authorization = `Bearer ${tenantToken(tenantA)}`;
    const cases: Array<[string, Record<string, string>, string]> = [
      ['?lastEventId=abc', {}, 'lastEventId'],
      ['?lastEventId=-1', {}, 'lastEventId'],
      ['?lastEventId=1234567890123456', {}, 'lastEventId'],
      ['', { 'last-event-id': 'seven' }, 'Last-Event-ID'],
      ['?lastEventId=3', { 'last-event-id': '1.5' }, 'Last-Event-ID'],
      ['?types=caas.events.>', {}, 'types'],
      ['?types=A,,B', {}, 'types'],
      [`?types=${Array.from({ length: 21 }, (_, i) => `T${i}`).join(',')}`, {}, 'types'],
      ['?since=1', {}, 'since'],
    ];
    for (const [query, headers, field] of cases) {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/events/stream${query}`,
        headers: { authorization, ...headers },
      });
      expect([query, response.statusCode]).toEqual([query, 400]);
      expect(response.json()).toMatchObject({ code: 'validation' });
      expect(response.json().violations).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    await expectNoFeedConsumers();
  });

  onPrivateNats('refuses a missing credential (401) and one not scoped to a tenant (403)', async () => {
    const anonymous = await follow(tenantA, '', { authorization: '' });
    expect(anonymous.status).toBe(401);
    const user = tokens.issueUserToken({ userId: randomUUID(), email: 'u@example.com', platformRoles: [] }).token;
    const unscoped = await follow(tenantA, '', { authorization: `Bearer ${user}` });
    expect(unscoped.status).toBe(403);
    expect(await unscoped.json()).toMatchObject({ code: 'forbidden' });
  });

  onPrivateNats('deletes each consumer when its client leaves', async () => {
    const three = [await follow(tenantA), await follow(tenantB), await follow(tenantA, '?types=Big')];
    const open = await eventually(feedConsumers, (consumers) => consumers.length === 3);
    expect(open).toHaveLength(3);
    await Promise.all(three.map((client) => client.close()));
    await expectNoFeedConsumers();
  });

  onPrivateNats('ends open feeds and deletes their consumers when the gateway shuts down', async () => {
    const other = await createGatewayApp(config);
    try {
      await other.listen(0, '127.0.0.1');
      const url = await other.getUrl();
      const client = await follow(tenantA, '', { url });
      client.pause(); // a client that does not read must not hold the shutdown up either
      for (let i = 0; i < 40; i += 1) await publish(tenantA, 'Big', { payload: 'z'.repeat(512 * 1024) });
      await eventually(feedConsumers, (consumers) => consumers.length === 1);
      await other.close();
      await expectNoFeedConsumers();
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});
