import { randomUUID } from 'node:crypto';
import type { PublicEvent } from '@caas/contracts';
import { SseClient, type SseMessage } from '@caas/testing';
import type { Api } from './support/api';
import { Platform } from './support/platform';

/*
 * The live event feed (GET /v1/events/stream) through the real platform: tenancy
 * records environment changes, its relay publishes them to CAAS_EVENTS, the gateway
 * streams them as server-sent events over real HTTP.
 */

const ADMIN = { email: 'events-stream-e2e-admin@example.com', password: 'events stream e2e admin password' };
/** From the command through the store, the relay and JetStream to the socket. */
const ARRIVAL = { timeoutMs: 20_000 };

type EnvironmentEvent = PublicEvent<{ tenantId: string; environmentId: string; name: string }>;
const body = (message: SseMessage) => JSON.parse(message.data) as EnvironmentEvent;
const names = (messages: readonly SseMessage[]) => messages.map((message) => body(message).data.name);

describe('live event feed end to end (tenancy and gateway as child processes)', () => {
  let platform: Platform;
  let api: Api;
  let tenantA: { tenantId: string; token: string };
  let tenantB: { tenantId: string; token: string };
  const clients: SseClient[] = [];

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN });
    api = platform.api;
    tenantA = await api.createTenant((await api.signUp('feed-a')).token);
    tenantB = await api.createTenant((await api.signUp('feed-b')).token);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await platform?.stop();
  });

  async function follow(tenant: { token: string }): Promise<SseClient> {
    const client = await SseClient.connect(`${api.baseUrl}/v1/events/stream`, {
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    clients.push(client);
    expect(client.status).toBe(200);
    return client;
  }

  async function createEnvironment(tenant: { token: string }, name: string): Promise<void> {
    await api.expect(201, 'POST', '/v1/environments', { token: tenant.token, body: { name } });
  }

  it('resumes after a disconnect with exactly what was missed, and shows no tenant another’s events', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await follow(tenantA);
    const b = await follow(tenantB);

    await createEnvironment(tenantA, `first-${tag}`);
    const first = await a.waitFor((messages) => names(messages).includes(`first-${tag}`), ARRIVAL);
    expect(first.map((message) => message.event)).toContain('EnvironmentCreated');
    expect(body(first[first.length - 1])).toMatchObject({
      type: 'EnvironmentCreated',
      context: 'tenancy',
      tenantId: tenantA.tenantId,
      sequence: Number(a.lastEventId),
    });
    await a.close();

    await createEnvironment(tenantA, `second-${tag}`);
    await createEnvironment(tenantB, `bee-${tag}`);
    await createEnvironment(tenantA, `third-${tag}`);

    const resumed = await a.reconnect();
    clients.push(resumed);
    expect(resumed.status).toBe(200);
    const missed = await resumed.waitFor((messages) => messages.length >= 2, ARRIVAL);
    expect(missed.map((message) => [message.event, body(message).data.name])).toEqual([
      ['EnvironmentCreated', `second-${tag}`],
      ['EnvironmentCreated', `third-${tag}`],
    ]);
    expect(body(missed[0]).sequence).toBeLessThan(body(missed[1]).sequence);
    // A later change arrives right after them: nothing else was in between.
    await createEnvironment(tenantA, `fourth-${tag}`);
    const all = await resumed.waitFor((messages) => messages.length >= 3, ARRIVAL);
    expect(names(all)).toEqual([`second-${tag}`, `third-${tag}`, `fourth-${tag}`]);

    // B's own change came after A's first three: B's feed had read past them by then.
    const seenByB = await b.waitFor((messages) => names(messages).includes(`bee-${tag}`), ARRIVAL);
    expect(seenByB.map((message) => body(message).tenantId)).toEqual(seenByB.map(() => tenantB.tenantId));
    expect(names(seenByB)).toEqual([`bee-${tag}`]);
  });

  it('answers 400 naming Last-Event-ID when it is not a sequence', async () => {
    const client = await SseClient.connect(`${api.baseUrl}/v1/events/stream`, {
      headers: { authorization: `Bearer ${tenantA.token}` },
      lastEventId: 'yesterday',
    });
    clients.push(client);
    expect(client.status).toBe(400);
    expect((await client.json()).violations).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
  });
});
