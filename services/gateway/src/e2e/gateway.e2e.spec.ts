import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createGatewayApp } from '../app';
import type { GatewayConfig } from '../config';
import { type PrivateNats, startPrivateNats } from '../testing/private-nats';
import { testGatewayConfig } from '../testing/test-config';
import { loadTenancy, type RunningTenancy } from './tenancy-under-test';

/*
 * The gateway and the real tenancy service, in-process, over real HTTP sockets, on the
 * test PostgreSQL and a NATS server of this file's own (so no other tenancy instance —
 * tenancy's own tests, `npm start` — answers our requests, and ours answers no one
 * else's). Everything here goes through the public HTTP API only.
 */

const tenancy = loadTenancy();
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const PASSWORD = 'correct horse battery staple';
/** The bootstrap admin's id derives from its address: the same account on every run. */
const ADMIN = { email: 'gateway-e2e-admin@example.com', password: 'gateway e2e admin password' };
/** Revocations take effect within the credential cache (≤ 5 s); allow for scheduling. */
const REVOCATION_DEADLINE_MS = 8_000;

const reason =
  'missing' in tenancy
    ? `tenancy cannot be started in-process: ${tenancy.missing}`
    : !DATABASE_URL
      ? 'TEST_DATABASE_URL is not set'
      : null;
if (reason) console.warn(`gateway e2e skipped: ${reason}`);
const describeE2e = reason ? describe.skip : describe;

/** Answers are checked field by field against what the API documents; typing each view here would only repeat it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Answer<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

class Api {
  constructor(readonly baseUrl: string) {}

  async call<T = Json>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Fails with the answer's body, so a failing step says what the gateway answered. */
  async expect<T = Json>(
    status: number,
    method: string,
    path: string,
    options?: Parameters<Api['call']>[2],
  ): Promise<Answer<T>> {
    const answer = await this.call<T>(method, path, options);
    if (answer.status !== status) {
      throw new Error(`${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
    }
    return answer;
  }

  async signUp(label: string): Promise<{ userId: string; email: string; token: string }> {
    const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
    const { body } = await this.expect(201, 'POST', '/v1/auth/signup', {
      body: { email, name: label, password: PASSWORD },
    });
    return { userId: body.userId, email, token: await this.login(email, PASSWORD) };
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.expect(200, 'POST', '/v1/auth/login', { body: { email, password } })).body.token;
  }

  async createTenant(userToken: string): Promise<{ tenantId: string; token: string }> {
    const name = `Acme ${randomUUID().slice(0, 8)}`;
    const { body } = await this.expect(201, 'POST', '/v1/tenants', { token: userToken, body: { name } });
    return { tenantId: body.tenantId, token: await this.tenantToken(userToken, body.tenantId) };
  }

  async tenantToken(userToken: string, tenantId: string): Promise<string> {
    return (await this.expect(200, 'POST', '/v1/auth/token', { token: userToken, body: { tenantId } })).body.token;
  }
}

/** Polls until `done` holds for an answer, or the deadline passes; returns the last answer. */
async function eventually(call: () => Promise<Answer>, done: (answer: Answer) => boolean, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  let answer = await call();
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await call();
  }
  return answer;
}

async function startGateway(natsUrl: string, overrides: Partial<GatewayConfig> = {}) {
  const config = testGatewayConfig({ natsUrl, rpcTimeoutMs: 15_000, ...overrides });
  const app: NestFastifyApplication = await createGatewayApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, config, api: new Api(`http://127.0.0.1:${port}`) };
}

describeE2e('gateway end to end with the tenancy service (real HTTP, NATS, PostgreSQL)', () => {
  let nats: PrivateNats | null;
  let service: RunningTenancy | undefined;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let api: Api;
  let pool: Pool;
  let owner: Awaited<ReturnType<Api['signUp']>>;
  let tenantA: { tenantId: string; token: string };

  beforeAll(async () => {
    nats = await startPrivateNats({ jetstream: true });
    if (!nats) throw new Error('The e2e spec needs a nats-server binary (infra/local installs it)');
    if ('missing' in tenancy) throw new Error(tenancy.missing);
    service = await tenancy.start({
      databaseUrl: DATABASE_URL!,
      natsUrl: nats.url,
      bootstrapAdmin: ADMIN,
      shutdownGraceMs: 50,
      logLevels: ['error'],
    });
    gateway = await startGateway(nats.url);
    api = gateway.api;
    pool = new Pool({ connectionString: DATABASE_URL });
    owner = await api.signUp('owner');
    tenantA = await api.createTenant(owner.token);
  }, 180_000);

  afterAll(async () => {
    await gateway?.app.close();
    await service?.close();
    await pool?.end();
    await nats?.stop();
  });

  describe('auth', () => {
    it('signs a user up and logs in with a 1 h HS256 user token, without tenant scope', async () => {
      const claims = new JwtService().decode(owner.token);
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
      expect(new JwtService().decode(body.token)).toMatchObject({ sub: owner.userId, tid: tenantA.tenantId });
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
        REVOCATION_DEADLINE_MS,
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
        REVOCATION_DEADLINE_MS,
      );
      expect(demoted.status).toBe(403);

      await api.expect(204, 'DELETE', `/v1/members/${grace.userId}`, { token: tenantA.token });
      // Tenancy refuses at once; within the membership cache the gateway refuses too.
      const removed = await eventually(
        () => api.call('GET', '/v1/tenant', { token: graceToken }),
        (answer) => answer.status === 403,
        REVOCATION_DEADLINE_MS,
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
      expect(new JwtService().decode(adminToken).platformRoles).toEqual(['platform-admin']);
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
      if (process.env.EVENTSTORE_CONNECTION_STRING) return console.warn('events are in EventStoreDB: not checked');
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
      // A second instance: it accepts the first one's tokens because they share JWT_SECRET.
      const limited = await startGateway(nats!.url, { rateLimitPerMinute: 4, jwtSecret: gateway.config.jwtSecret });
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
        await limited.app.close();
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
