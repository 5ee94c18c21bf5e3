import { randomUUID } from 'node:crypto';
import { eventually } from '@caas/testing';
import { Pool } from 'pg';
import { type Api, PASSWORD, decodeJwt, jwtHeader } from './support/api';
import { Platform } from './support/platform';

/*
 * The gateway and the tenancy service as real child processes (as `npm start` runs
 * them), over real HTTP, on the test PostgreSQL and a nats-server of this file's own.
 * Everything goes through the public HTTP API; only the checks of what is stored (the
 * idempotency table, event metadata) read the test database directly.
 */

/** The bootstrap admin's id derives from its address: the same account on every run. */
const ADMIN = { email: 'gateway-e2e-admin@example.com', password: 'gateway e2e admin password' };
/** Revocations take effect within the credential cache (≤ 5 s); allow for scheduling. */
const REVOCATION_DEADLINE_MS = 8_000;

describe('gateway end to end with the tenancy service (child processes; real HTTP, NATS, PostgreSQL)', () => {
  let platform: Platform;
  let api: Api;
  let pool: Pool;
  let owner: Awaited<ReturnType<Api['signUp']>>;
  let tenantA: { tenantId: string; token: string };

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN, gatewayEnv: { RPC_TIMEOUT_MS: '15000' } });
    api = platform.api;
    pool = new Pool({ connectionString: platform.databaseUrl });
    owner = await api.signUp('owner');
    tenantA = await api.createTenant(owner.token);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await pool?.end();
  });

  describe('auth', () => {
    it('signs a user up and logs in with a 1 h HS256 user token, without tenant scope', async () => {
      expect(jwtHeader(owner.token)).toMatchObject({ alg: 'HS256' });
      const claims = decodeJwt(owner.token);
      expect(claims).toMatchObject({ sub: owner.userId, kind: 'user', platformRoles: [] });
      expect(claims.exp - claims.iat).toBe(3600);
      expect(claims.tid).toBeUndefined();
    });

    it('refuses a second sign-up with the same address, and a wrong password', async () => {
      const again = await api.call('POST', '/v1/auth/signup', {
        body: { email: owner.email, name: 'again', password: PASSWORD },
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'conflict', correlationId: expect.any(String) });
      const wrong = await api.call('POST', '/v1/auth/login', {
        body: { email: owner.email, password: 'wrong one!!!' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('unauthenticated');
    });

    it("scopes a token to a tenant the user belongs to, with the user's role", async () => {
      const { body } = await api.expect(200, 'POST', '/v1/auth/token', {
        token: owner.token,
        body: { tenantId: tenantA.tenantId },
      });
      expect(body).toMatchObject({ tenantId: tenantA.tenantId, role: 'owner' });
      expect(body.expiresIn).toBeLessThanOrEqual(3600);
      expect(decodeJwt(body.token)).toMatchObject({ sub: owner.userId, tid: tenantA.tenantId });
    });

    it('refuses a tenant token for a tenant the user is not a member of, existing or not', async () => {
      const stranger = await api.signUp('stranger');
      for (const tenantId of [tenantA.tenantId, randomUUID()]) {
        const answer = await api.call('POST', '/v1/auth/token', { token: stranger.token, body: { tenantId } });
        expect(answer.status).toBe(403);
        expect(answer.body.message).toBe(`You are not a member of tenant '${tenantId}'`);
      }
    });
  });

  describe('tenant scope comes from the credential only', () => {
    it('lists my tenants with a user token, acts in one with a tenant token', async () => {
      const mine = await api.expect(200, 'GET', '/v1/tenants', { token: owner.token });
      expect(mine.body).toEqual([expect.objectContaining({ tenantId: tenantA.tenantId, role: 'owner' })]);
      const current = await api.expect(200, 'GET', '/v1/tenant', { token: tenantA.token });
      expect(current.body).toMatchObject({ tenantId: tenantA.tenantId, status: 'active', planId: 'free' });
    });

    it('never takes a tenant from the body or the path', async () => {
      const other = await api.signUp('other');
      const tenantB = await api.createTenant(other.token);
      const smuggled = await api.call('PATCH', '/v1/tenant', {
        token: tenantA.token,
        body: { name: 'Renamed', tenantId: tenantB.tenantId },
      });
      expect(smuggled.status).toBe(400);
      expect(smuggled.body.violations).toEqual([
        expect.objectContaining({ field: 'tenantId', rule: 'whitelistValidation' }),
      ]);
      // Each tenant token sees its own tenant and members only.
      const membersA = await api.expect(200, 'GET', '/v1/members', { token: tenantA.token });
      expect(membersA.body.map((m: { userId: string }) => m.userId)).toEqual([owner.userId]);
      const membersB = await api.expect(200, 'GET', '/v1/members', { token: tenantB.token });
      expect(membersB.body.map((m: { userId: string }) => m.userId)).toEqual([other.userId]);
      // B's owner cannot reach A's members by naming them in the path.
      const reach = await api.call('DELETE', `/v1/members/${owner.userId}`, { token: tenantB.token });
      expect(reach.status).toBe(404);
      await api.expect(200, 'GET', '/v1/tenant', { token: tenantA.token });
    });

    it('renames and re-plans the current tenant', async () => {
      await api.expect(200, 'PATCH', '/v1/tenant', { token: tenantA.token, body: { name: 'Acme Renamed' } });
      await api.expect(200, 'POST', '/v1/tenant/plan', { token: tenantA.token, body: { planId: 'pro' } });
      const current = await api.expect(200, 'GET', '/v1/tenant', { token: tenantA.token });
      expect(current.body).toMatchObject({ name: 'Acme Renamed', planId: 'pro' });
      const quotas = await api.expect(200, 'GET', '/v1/quotas', { token: tenantA.token });
      expect(quotas.body).toMatchObject({
        planId: 'pro',
        quotas: expect.objectContaining({ maxContainers: expect.any(Number) }),
      });
      const plans = await api.expect(200, 'GET', '/v1/plans', { token: owner.token });
      expect(plans.body.map((plan: { planId: string }) => plan.planId)).toEqual(
        expect.arrayContaining(['free', 'pro']),
      );
    });
  });

  describe('Idempotency-Key with real commands', () => {
    it('creates once, replays the same answer, refuses another body under the key', async () => {
      const key = randomUUID();
      const name = `env-${randomUUID().slice(0, 8)}`;
      const first = await api.expect(201, 'POST', '/v1/environments', {
        token: tenantA.token,
        body: { name },
        headers: { 'idempotency-key': key },
      });
      expect(first.body).toEqual({ environmentId: expect.any(String) });
      const replay = await api.expect(201, 'POST', '/v1/environments', {
        token: tenantA.token,
        body: { name },
        headers: { 'idempotency-key': key },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      const mismatch = await api.call('POST', '/v1/environments', {
        token: tenantA.token,
        body: { name: `${name}-x` },
        headers: { 'idempotency-key': key },
      });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.code).toBe('idempotency_mismatch');
      // Without a key, the same request is a new command: the name is taken.
      const again = await api.call('POST', '/v1/environments', { token: tenantA.token, body: { name } });
      expect(again.status).toBe(409);

      const environments = await api.expect(200, 'GET', '/v1/environments', { token: tenantA.token });
      expect(environments.body.filter((e: { name: string }) => e.name === name)).toHaveLength(1);

      // A 204 is replayed as a 204, not re-run into a 404.
      const path = `/v1/environments/${first.body.environmentId}`;
      const deleteKey = { 'idempotency-key': randomUUID() };
      await api.expect(204, 'DELETE', path, { token: tenantA.token, headers: deleteKey });
      const deletedAgain = await api.expect(204, 'DELETE', path, { token: tenantA.token, headers: deleteKey });
      expect(deletedAgain.headers.get('idempotent-replayed')).toBe('true');
    });

    it('runs concurrent requests with one key exactly once', async () => {
      const key = randomUUID();
      const name = `env-${randomUUID().slice(0, 8)}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          api.call('POST', '/v1/environments', {
            token: tenantA.token,
            body: { name },
            headers: { 'idempotency-key': key },
          }),
        ),
      );
      const ran = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
      expect(ran).toHaveLength(1);
      for (const answer of answers.filter((a) => !ran.includes(a))) {
        if (answer.status === 201) expect(answer.body).toEqual(ran[0].body);
        else expect(answer.body).toMatchObject({ code: 'conflict' });
      }
      const environments = await api.expect(200, 'GET', '/v1/environments', { token: tenantA.token });
      expect(environments.body.filter((e: { name: string }) => e.name === name)).toHaveLength(1);
    });
  });

  describe('API keys', () => {
    it('act in their own tenant, are refused on user routes, stop working within seconds of revocation', async () => {
      const key = randomUUID();
      const create = () =>
        api.expect(201, 'POST', '/v1/api-keys', {
          token: tenantA.token,
          body: { name: 'ci-deployer', role: 'developer' },
          headers: { 'idempotency-key': key },
        });
      const created = await create();
      const { keyId, secret } = created.body;
      expect(secret).toMatch(/^caas_/);
      // The replay shows the secret again, yet the gateway's table never holds it in clear.
      expect((await create()).body).toEqual({ keyId, secret });
      const stored = await pool.query(`select body from gateway.idempotency_keys where body is not null`);
      expect(stored.rows.some((row: { body: Buffer }) => row.body.includes(Buffer.from(secret)))).toBe(false);

      const asKey = await api.expect(200, 'GET', '/v1/tenant', { token: secret });
      expect(asKey.body.tenantId).toBe(tenantA.tenantId);
      const listed = await api.expect(200, 'GET', '/v1/api-keys', { token: secret });
      expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ keyId, status: 'active' })]));
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect((await api.call('POST', '/v1/tenants', { token: secret, body: { name: 'Mine' } })).status).toBe(403);
      expect(
        (await api.call('POST', '/v1/auth/token', { token: secret, body: { tenantId: tenantA.tenantId } })).status,
      ).toBe(403);

      await api.expect(204, 'DELETE', `/v1/api-keys/${keyId}`, { token: tenantA.token });
      const revoked = await eventually(
        () => api.call('GET', '/v1/tenant', { token: secret }),
        (answer) => answer.status === 401,
        { timeoutMs: REVOCATION_DEADLINE_MS },
      );
      expect(revoked.status).toBe(401);
      expect(revoked.body).toMatchObject({ code: 'unauthenticated', message: 'Invalid API key' });
    });
  });

  describe('members', () => {
    it('invite, accept, role change and removal, each effective within seconds', async () => {
      const grace = await api.signUp('grace');
      const invited = await api.expect(201, 'POST', '/v1/invitations', {
        token: tenantA.token,
        body: { email: grace.email, role: 'developer' },
      });
      const pending = await api.expect(200, 'GET', '/v1/invitations', { token: tenantA.token });
      expect(pending.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ invitationId: invited.body.invitationId, status: 'pending' }),
        ]),
      );
      await api.expect(200, 'POST', `/v1/invitations/${invited.body.invitationId}/accept`, { token: grace.token });
      const graceToken = await api.tenantToken(grace.token, tenantA.tenantId);
      const members = await api.expect(200, 'GET', '/v1/members', { token: graceToken });
      expect(members.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ userId: grace.userId, role: 'developer' })]),
      );

      await api.expect(200, 'PATCH', `/v1/members/${grace.userId}`, { token: tenantA.token, body: { role: 'viewer' } });
      const demoted = await eventually(
        () =>
          api.call('POST', '/v1/environments', { token: graceToken, body: { name: `v-${randomUUID().slice(0, 8)}` } }),
        (answer) => answer.status === 403,
        { timeoutMs: REVOCATION_DEADLINE_MS },
      );
      expect(demoted.status).toBe(403);

      await api.expect(204, 'DELETE', `/v1/members/${grace.userId}`, { token: tenantA.token });
      // Tenancy refuses at once; within the membership cache the gateway refuses too.
      const removed = await eventually(
        () => api.call('GET', '/v1/tenant', { token: graceToken }),
        (answer) => answer.status === 403,
        { timeoutMs: REVOCATION_DEADLINE_MS },
      );
      expect(removed.body).toMatchObject({
        code: 'forbidden',
        message: `You are not a member of tenant '${tenantA.tenantId}'`,
      });
    });
  });

  describe('platform admin', () => {
    it('lists every tenant, suspends and resumes one named in the path', async () => {
      const adminToken = await api.login(ADMIN.email, ADMIN.password);
      expect(decodeJwt(adminToken).platformRoles).toEqual(['platform-admin']);
      const all = await api.expect(200, 'GET', '/v1/admin/tenants', { token: adminToken });
      expect(all.body).toEqual(expect.arrayContaining([expect.objectContaining({ tenantId: tenantA.tenantId })]));
      expect((await api.call('GET', '/v1/admin/tenants', { token: owner.token })).status).toBe(403);

      const path = `/v1/admin/tenants/${tenantA.tenantId}`;
      await api.expect(200, 'POST', `${path}/suspend`, { token: adminToken, body: { reason: 'payment overdue' } });
      expect((await api.expect(200, 'GET', '/v1/tenant', { token: tenantA.token })).body.status).toBe('suspended');
      await api.expect(200, 'POST', `${path}/resume`, { token: adminToken });
      expect((await api.expect(200, 'GET', '/v1/tenant', { token: tenantA.token })).body.status).toBe('active');
    });
  });

  describe('correlation', () => {
    it('puts the correlation id and the actor into the metadata of the events a request causes', async () => {
      const correlationId = `e2e-${randomUUID()}`;
      const answer = await api.expect(201, 'POST', '/v1/environments', {
        token: tenantA.token,
        body: { name: `corr-${randomUUID().slice(0, 8)}` },
        headers: { 'x-correlation-id': correlationId },
      });
      expect(answer.headers.get('x-correlation-id')).toBe(correlationId);
      const { rows } = await pool.query(
        `select event_type, metadata from es.events where metadata->>'correlationId' = $1`,
        [correlationId],
      );
      expect(rows).toEqual([
        {
          event_type: 'EnvironmentCreated',
          metadata: expect.objectContaining({
            correlationId,
            tenantId: tenantA.tenantId,
            actor: { type: 'user', id: owner.userId },
          }),
        },
      ]);
    });
  });

  describe('rate limit per tenant', () => {
    it('shares one budget between all credentials of a tenant, and none with other tenants', async () => {
      // A second gateway process: it accepts the first one's tokens because they share JWT_SECRET.
      const limited = await platform.startGateway({ RATE_LIMIT_PER_MINUTE: '4' });
      try {
        const { body: key } = await api.expect(201, 'POST', '/v1/api-keys', {
          token: tenantA.token,
          body: { name: 'limited', role: 'viewer' },
        });
        const other = await api.createTenant((await api.signUp('neighbour')).token);
        for (const token of [tenantA.token, key.secret, tenantA.token, key.secret]) {
          await limited.api.expect(200, 'GET', '/v1/tenant', { token });
        }
        for (const token of [tenantA.token, key.secret]) {
          const refused = await limited.api.call('GET', '/v1/tenant', { token });
          expect(refused.status).toBe(429);
          expect(refused.body.code).toBe('rate_limited');
          expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        }
        await limited.api.expect(200, 'GET', '/v1/tenant', { token: other.token });
      } finally {
        await limited.process.stop();
      }
    });
  });

  describe('deleting a tenant', () => {
    it('answers 204, and a retry with the same key replays it', async () => {
      const doomed = await api.createTenant(owner.token);
      const headers = { 'idempotency-key': randomUUID() };
      await api.expect(204, 'DELETE', '/v1/tenant', { token: doomed.token, headers });
      const again = await api.expect(204, 'DELETE', '/v1/tenant', { token: doomed.token, headers });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });
  });
});
