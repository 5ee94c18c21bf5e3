import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { LOG_FOLLOW, SCHEDULING, TENANCY, type LogFollowMessage } from '@caas/contracts';
import { type PrivateNats, eventually, startPrivateNats } from '@caas/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type MsgHdrs, type NatsConnection } from 'nats';
import { createGatewayApp } from '../app';
import { TokenService } from '../auth/token.service';
import { testGatewayConfig } from '../testing/test-config';

/*
 * The streaming transport only: the gateway over a real socket and a real nats-server,
 * with a small responder here playing tenancy's membership check and the scheduling
 * side of LOG_FOLLOW (the real one is tested in services/scheduling).
 */
const tenantId = randomUUID();
const userId = randomUUID();
const known = randomUUID();
let privateNats: PrivateNats | null;
let responder: NatsConnection;
let app: NestFastifyApplication;
let base: string;
let token: string;
const sessions: { inbox: string; tenant: string | undefined; cancelled: boolean }[] = [];

/** Answers like a Nest microservice: `{ id, response | err, isDisposed }`. */
function answer(subject: string, handle: (data: Record<string, unknown>, headers?: MsgHdrs) => object): void {
  responder.subscribe(subject, {
    callback: (_error, message) => {
      const packet = message.json<{ id: string; data: Record<string, unknown> }>();
      message.respond(JSON.stringify({ id: packet.id, ...handle(packet.data, message.headers), isDisposed: true }));
    },
  });
}

const publish = (inbox: string, message: LogFollowMessage) => responder.publish(inbox, JSON.stringify(message));

beforeAll(async () => {
  privateNats = await startPrivateNats();
  const config = testGatewayConfig(privateNats ? { natsUrl: privateNats.url } : {});
  responder = await connect({ servers: config.natsUrl });
  answer(TENANCY.membership, () => ({ response: { tenantId, userId, role: 'viewer' } }));
  answer(SCHEDULING.followContainerLogs, (data, headers) => {
    if (data.containerId !== known)
      return { err: { code: 'not_found', message: `container '${data.containerId}' not found` } };
    const session = { inbox: String(data.inbox), tenant: headers?.get('Caas-Tenant-Id'), cancelled: false };
    sessions.push(session);
    responder.subscribe(LOG_FOLLOW.cancelSubject(session.inbox), { callback: () => (session.cancelled = true) });
    // Before the answer on purpose: the gateway must keep lines that beat it.
    publish(session.inbox, { type: 'line', stream: 'stdout', at: '2026-01-01T00:00:00Z', line: 'first' });
    return { response: { ok: true } };
  });
  await responder.flush();
  app = await createGatewayApp(config);
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const tokens = new TokenService(config.jwtSecret);
  const user = {
    type: 'user',
    userId,
    platformRoles: [],
    tenantId: null,
    role: null,
    expiresAt: Date.now() / 1000 + 3600,
  } as const;
  token = tokens.issueTenantToken(user, { tenantId, userId, role: 'viewer' }).token;
});

afterAll(async () => {
  await app?.close();
  await responder?.close();
  await privateNats?.stop();
});

const follow = (containerId: string) =>
  fetch(`${base}/v1/containers/${containerId}/logs?follow=true&tail=5`, {
    headers: { authorization: `Bearer ${token}` },
  });

it('streams NDJSON lines as they come, and ends with the log', async () => {
  const response = await follow(known);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-ndjson');
  const session = sessions.at(-1)!;
  expect(session.tenant).toBe(tenantId);
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toBe('{"stream":"stdout","at":"2026-01-01T00:00:00Z","line":"first"}\n');
  publish(session.inbox, { type: 'line', stream: 'stderr', at: '2026-01-01T00:00:01Z', line: 'second' });
  publish(session.inbox, { type: 'end', reason: 'container stopped' });
  let rest = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    rest += new TextDecoder().decode(chunk.value);
  expect(
    rest
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  ).toEqual([{ stream: 'stderr', at: '2026-01-01T00:00:01Z', line: 'second' }]);
  expect(session.cancelled).toBe(false);
});

it('cancels the session when the client goes away', async () => {
  // node:http rather than fetch: an aborted fetch leaves its socket open for a while.
  const request = get(`${base}/v1/containers/${known}/logs?follow=true`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const response = await new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
  await new Promise((resolve) => response.once('data', resolve));
  request.destroy();
  const session = sessions.at(-1)!;
  expect(await eventually(async () => session.cancelled, Boolean, { timeoutMs: 5_000 })).toBe(true);
});

it('answers an unknown container with 404 before streaming anything', async () => {
  const response = await follow(randomUUID());
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.json()).toMatchObject({ code: 'not_found' });
});

it('validates like every route: a malformed id is 400 naming it, hosts are for platform admins', async () => {
  const headers = { authorization: `Bearer ${token}` };
  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
  const malformed = await fetch(`${base}/v1/containers/not-a-uuid/logs?follow=true`, { headers });
  expect(malformed.status).toBe(400);
  expect((await json(malformed)).violations).toEqual([
    expect.objectContaining({ field: 'containerId', rule: 'isUuid' }),
  ]);
  const badTail = await fetch(`${base}/v1/containers/${known}/logs?tail=0`, { headers });
  expect((await json(badTail)).violations).toEqual([expect.objectContaining({ field: 'tail', rule: 'min' })]);
  expect((await fetch(`${base}/v1/hosts`, { headers })).status).toBe(403);
  const paths = Object.keys((await json(await fetch(`${base}/docs-json`))).paths as object);
  expect(paths).toEqual(
    expect.arrayContaining([
      '/v1/hosts/{hostId}/drain',
      '/v1/containers/{containerId}/logs',
      '/v1/services/{serviceId}/scale',
    ]),
  );
});
