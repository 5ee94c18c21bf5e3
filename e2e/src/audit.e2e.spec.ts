import { randomUUID } from 'node:crypto';
import { eventually } from '@caas/testing';
import type { Api, Json } from './support/api';
import { Platform } from './support/platform';

/*
 * The audit log end to end: tenancy relays its events to this platform's JetStream,
 * monitoring stores them, the gateway answers GET /v1/audit. An owner, an invited member
 * and an API key each change the tenant under a correlation id of their own; each change
 * shows who made it, with which command, when and under which correlation id. Another
 * tenant sees none of it.
 */
const ADMIN = { email: 'audit-e2e-admin@example.com', password: 'audit e2e admin password' };

describe('the audit log (platform with monitoring)', () => {
  let platform: Platform;
  let api: Api;
  let owner: { userId: string; token: string };
  let tenantA: { tenantId: string; token: string };
  let memberToken: string;
  let memberId: string;
  let key: { keyId: string; secret: string };
  const correlation = { owner: `owner-${randomUUID()}`, member: `member-${randomUUID()}`, key: `key-${randomUUID()}` };

  const audit = (token: string, query = '') => api.expect(200, 'GET', `/v1/audit${query}`, { token });
  /** The tenant's audit once it shows every correlation id asked for (monitoring stores asynchronously). */
  const auditShowing = async (token: string, correlationIds: string[]) => {
    const answer = await eventually(
      () => audit(token, '?limit=200'),
      ({ body }) => correlationIds.every((id) => body.items.some((event: Json) => event.correlationId === id)),
      { timeoutMs: 30_000 },
    );
    return answer.body.items as Json[];
  };

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN, monitoring: true });
    api = platform.api;
    owner = await api.signUp('owner');
    tenantA = await api.createTenant(owner.token);

    const member = await api.signUp('member');
    memberId = member.userId;
    const invited = await api.expect(201, 'POST', '/v1/invitations', {
      token: tenantA.token,
      body: { email: member.email, role: 'admin' },
    });
    await api.expect(200, 'POST', `/v1/invitations/${invited.body.invitationId}/accept`, { token: member.token });
    memberToken = await api.tenantToken(member.token, tenantA.tenantId);
    key = (
      await api.expect(201, 'POST', '/v1/api-keys', {
        token: tenantA.token,
        body: { name: 'ci', role: 'admin' },
      })
    ).body;

    await api.expect(200, 'PATCH', '/v1/tenant', {
      token: tenantA.token,
      body: { name: `Renamed ${randomUUID().slice(0, 8)}` },
      headers: { 'x-correlation-id': correlation.owner },
    });
    await api.expect(201, 'POST', '/v1/environments', {
      token: memberToken,
      body: { name: 'staging' },
      headers: { 'x-correlation-id': correlation.member },
    });
    await api.expect(201, 'POST', '/v1/environments', {
      token: key.secret,
      body: { name: 'production' },
      headers: { 'x-correlation-id': correlation.key },
    });
  });

  afterAll(() => platform?.stop());

  it('shows the actor, command, time and correlation id of each change', async () => {
    const items = await auditShowing(tenantA.token, Object.values(correlation));
    const byCorrelation = (id: string) => items.filter((event) => event.correlationId === id);
    expect(byCorrelation(correlation.owner)).toEqual([
      expect.objectContaining({
        type: 'TenantRenamed',
        command: 'RenameTenant',
        actor: { type: 'user', id: owner.userId },
        tenantId: tenantA.tenantId,
        stream: `tenant-${tenantA.tenantId}`,
        context: 'tenancy',
      }),
    ]);
    expect(byCorrelation(correlation.member)).toEqual([
      expect.objectContaining({
        type: 'EnvironmentCreated',
        command: 'CreateEnvironment',
        actor: { type: 'user', id: memberId },
      }),
    ]);
    expect(byCorrelation(correlation.key)).toEqual([
      expect.objectContaining({
        type: 'EnvironmentCreated',
        command: 'CreateEnvironment',
        actor: { type: 'api-key', id: key.keyId },
      }),
    ]);
    for (const event of items) {
      expect(new Date(event.created).toISOString()).toBe(event.created);
      expect(event.tenantId).toBe(tenantA.tenantId);
    }
    // Newest first: the key's change was the last.
    const positions = Object.values(correlation).map((id) => items.findIndex((event) => event.correlationId === id));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('filters by actor, actor type, command and correlation id, for every member and the API key', async () => {
    await auditShowing(tenantA.token, Object.values(correlation));
    const types = async (token: string, query: string) =>
      (await audit(token, query)).body.items.map((event: Json) => `${event.type}:${event.correlationId}`);
    expect(await types(memberToken, `?correlationId=${correlation.owner}`)).toEqual([
      `TenantRenamed:${correlation.owner}`,
    ]);
    expect(await types(key.secret, '?actorType=api-key')).toEqual([`EnvironmentCreated:${correlation.key}`]);
    expect(await types(tenantA.token, `?actor=${memberId}&command=CreateEnvironment`)).toEqual([
      `EnvironmentCreated:${correlation.member}`,
    ]);
    const owners = (await audit(tenantA.token, `?actor=${owner.userId}`)).body.items;
    expect(owners.map((event: Json) => event.type)).toEqual(expect.arrayContaining(['TenantCreated', 'TenantRenamed']));
    expect(owners.every((event: Json) => event.actor.id === owner.userId)).toBe(true);

    const page = await audit(tenantA.token, '?limit=1');
    expect(page.body.items).toHaveLength(1);
    const next = await audit(tenantA.token, `?limit=1&before=${page.body.nextBefore}`);
    expect(next.body.items[0].sequence).toBeLessThan(page.body.items[0].sequence);
  });

  it('refuses bad filters naming the field', async () => {
    const answer = await api.call('GET', '/v1/audit?limit=500&from=yesterday', { token: tenantA.token });
    expect(answer.status).toBe(400);
    expect(answer.body.violations.map((v: Json) => `${v.field}:${v.rule}`).sort()).toEqual([
      'from:isIso8601',
      'limit:max',
    ]);
    // A user token without a tenant (and no platform role) has no audit to read.
    expect((await api.call('GET', '/v1/audit', { token: owner.token })).status).toBe(403);
  });

  it('shows another tenant none of it; the platform admin sees both', async () => {
    await auditShowing(tenantA.token, Object.values(correlation));
    const other = await api.signUp('other');
    const tenantB = await api.createTenant(other.token);
    // Once B's own creation is there, B's log is as current as A's changes before it.
    const { body: pageB } = await eventually(
      () => audit(tenantB.token, '?limit=200'),
      ({ body }) => body.items.some((event: Json) => event.type === 'TenantCreated'),
      { timeoutMs: 30_000 },
    );
    expect(pageB.items.length).toBeGreaterThan(0);
    expect(pageB.items.every((event: Json) => event.tenantId === tenantB.tenantId)).toBe(true);
    expect((await audit(tenantB.token, `?correlationId=${correlation.owner}`)).body.items).toEqual([]);
    expect((await audit(tenantB.token, `?stream=tenant-${tenantA.tenantId}`)).body.items).toEqual([]);
    expect((await api.call('GET', `/v1/audit?tenantId=${tenantA.tenantId}`, { token: tenantB.token })).status).toBe(
      404,
    );

    const adminToken = await api.login(ADMIN.email, ADMIN.password);
    const all = await eventually(
      () => audit(adminToken, '?limit=200'),
      ({ body }) => body.items.some((event: Json) => event.tenantId === tenantB.tenantId),
      { timeoutMs: 30_000 },
    );
    const tenants = new Set(all.body.items.map((event: Json) => event.tenantId));
    expect(tenants.has(tenantA.tenantId) && tenants.has(tenantB.tenantId)).toBe(true);
    const onlyA = await audit(adminToken, `?tenantId=${tenantA.tenantId}`);
    expect(onlyA.body.items.every((event: Json) => event.tenantId === tenantA.tenantId)).toBe(true);
  });
});
