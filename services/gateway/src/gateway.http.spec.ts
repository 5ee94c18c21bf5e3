import { randomUUID } from 'node:crypto';
import { type PrivateNats, startPrivateNats } from '@caas/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { createGatewayApp } from './app';
import { TokenService } from './auth/token.service';
import type { GatewayConfig } from './config';
import { testGatewayConfig } from './testing/test-config';

/*
 * The gateway over HTTP (fastify inject, and one real socket), on the real PostgreSQL
 * and a real NATS server of this file's own, where tenancy never listens: whatever
 * reaches tenancy answers 503 `unavailable`, which is itself part of what is checked.
 * Routes that need tenancy's answers are in the platform e2e project (e2e/src/gateway.e2e.spec.ts).
 */

let nats: PrivateNats | null = null;
beforeAll(async () => {
  nats = await startPrivateNats();
  if (!nats) {
    console.warn('No nats-server binary: using the shared NATS; tests that need tenancy to be absent are skipped');
  }
});
afterAll(() => nats?.stop());

/** Only meaningful where tenancy cannot answer (the private NATS server). */
const withoutTenancy = (name: string, test: () => Promise<void>) =>
  it(name, async () => {
    if (!nats) return console.warn(`skipped (tenancy may be answering on the shared NATS): ${name}`);
    await test();
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Inject = NestFastifyApplication['inject'];
type InjectOptions = Exclude<Parameters<Inject>[0], string | undefined>;

async function startGateway(overrides: Partial<GatewayConfig> = {}) {
  const config = testGatewayConfig({ ...(nats ? { natsUrl: nats.url } : {}), ...overrides });
  const app = await createGatewayApp(config);
  const tokens = new TokenService(config.jwtSecret);
  const userToken = (platformRoles: ('platform-admin' | 'finance')[] = []) =>
    tokens.issueUserToken({ userId: randomUUID(), email: 'u@example.com', platformRoles }).token;
  const call = (options: InjectOptions) => app.inject(options);
  return { app, config, userToken, call };
}

function expectErrorShape(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  const body = response.json() as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      code: expect.any(String),
      message: expect.any(String),
      correlationId: expect.any(String),
    }),
  );
  expect(
    Object.keys(body).every((key) => ['code', 'message', 'violations', 'details', 'correlationId'].includes(key)),
  ).toBe(true);
  expect(response.headers['x-correlation-id']).toBe(body.correlationId);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return body;
}

describe('gateway over HTTP (real PostgreSQL and NATS, no tenancy)', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => (gateway = await startGateway()));
  afterAll(() => gateway?.app.close());

  describe('OpenAPI', () => {
    it('serves the document at /docs-json, from the contract classes, with bearer auth', async () => {
      const response = await gateway.call({ method: 'GET', url: '/docs-json' });
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(document.components.schemas.CreateTenantV1.properties).toHaveProperty('name');
      expect(document.components.schemas.SignUpV1.required).toEqual(['email', 'name', 'password']);
      const createTenant = document.paths['/v1/tenants'].post;
      expect(createTenant.security).toEqual([{ bearer: [] }]);
      expect(createTenant.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['Idempotency-Key', 'X-Correlation-Id']),
      );
      const login = document.paths['/v1/auth/login'].post;
      expect(login.parameters.map((p: { name: string }) => p.name)).not.toContain('Idempotency-Key');
      expect(document.paths['/v1/members/{userId}'].patch.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'userId', in: 'path', required: true })]),
      );
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/v1/auth/signup',
          '/v1/auth/login',
          '/v1/auth/token',
          '/v1/tenants',
          '/v1/tenant',
          '/v1/tenant/plan',
          '/v1/members',
          '/v1/members/{userId}',
          '/v1/invitations',
          '/v1/invitations/{invitationId}/accept',
          '/v1/api-keys',
          '/v1/api-keys/{keyId}',
          '/v1/environments',
          '/v1/environments/{environmentId}',
          '/v1/quotas',
          '/v1/plans',
          '/v1/admin/tenants',
          '/v1/admin/tenants/{tenantId}/suspend',
          '/v1/admin/tenants/{tenantId}/resume',
          '/v1/admin/platform-roles',
        ]),
      );
    });

    it('serves Swagger UI at /docs, and only its own files', async () => {
      const page = await gateway.call({ method: 'GET', url: '/docs' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('swagger-ui-bundle.js');
      const bundle = await gateway.call({ method: 'GET', url: '/docs/swagger-ui-bundle.js' });
      expect(bundle.statusCode).toBe(200);
      expect(bundle.headers['content-type']).toMatch(/javascript/);
      const init = await gateway.call({ method: 'GET', url: '/docs/swagger-ui-init.js' });
      expect(init.body).toContain("url: '/docs-json'");
      for (const url of ['/docs/package.json', '/docs/..%2Fpackage.json', '/docs/index.html']) {
        const response = await gateway.call({ method: 'GET', url });
        expect(response.statusCode).toBe(404);
        expectErrorShape(response);
      }
    });
  });

  describe('errors', () => {
    it('answers an unknown route with 404 in the error shape', async () => {
      for (const [method, url] of [
        ['GET', '/v1/nope'],
        ['POST', '/v2/tenants'],
        ['PUT', '/v1/tenant'],
      ] as const) {
        const response = await gateway.call({ method, url });
        expect(response.statusCode).toBe(404);
        expect(expectErrorShape(response)).toMatchObject({ code: 'not_found', message: `No route ${method} ${url}` });
      }
    });

    it('names every field and rule that fails validation, unknown fields included', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: { email: 'not-an-email', name: '', password: 'short', isAdmin: true },
      });
      expect(response.statusCode).toBe(400);
      const body = expectErrorShape(response);
      expect(body.code).toBe('validation');
      expect(body.violations).toEqual(
        expect.arrayContaining([
          { field: 'email', rule: 'isEmail', message: 'email must be a valid e-mail address' },
          expect.objectContaining({ field: 'name', rule: 'isLength' }),
          expect.objectContaining({ field: 'password', rule: 'minLength' }),
          expect.objectContaining({ field: 'isAdmin', rule: 'whitelistValidation' }),
        ]),
      );
    });

    it('refuses a body that is not a JSON object', async () => {
      const response = await gateway.call({ method: 'POST', url: '/v1/auth/signup', payload: [1, 2] });
      expect(response.statusCode).toBe(400);
      expect(expectErrorShape(response).violations).toEqual([
        expect.objectContaining({ field: 'body', rule: 'isObject' }),
      ]);
    });

    it('names a path id that is not a UUID', async () => {
      const user = await gateway.call({
        method: 'POST',
        url: '/v1/invitations/not-a-uuid/accept',
        headers: { authorization: `Bearer ${gateway.userToken()}` },
      });
      expect(user.statusCode).toBe(400);
      expect(expectErrorShape(user).violations).toEqual([
        expect.objectContaining({ field: 'invitationId', rule: 'isUuid' }),
      ]);

      const admin = await gateway.call({
        method: 'POST',
        url: '/v1/admin/tenants/42/suspend',
        headers: { authorization: `Bearer ${gateway.userToken(['platform-admin'])}` },
        payload: { reason: 'overdue' },
      });
      expect(admin.statusCode).toBe(400);
      expect(expectErrorShape(admin).violations).toEqual([
        expect.objectContaining({ field: 'tenantId', rule: 'isUuid' }),
      ]);
    });

    it('answers malformed JSON, another content type and an empty JSON body with 400', async () => {
      for (const [payload, contentType] of [
        ['{"email": ', 'application/json'],
        ['email=a@example.com', 'application/x-www-form-urlencoded'],
        ['hello', 'text/plain'],
        ['', 'application/json'],
      ]) {
        const response = await gateway.call({
          method: 'POST',
          url: '/v1/auth/signup',
          payload,
          headers: { 'content-type': contentType },
        });
        expect(response.statusCode).toBe(400);
        expect(expectErrorShape(response).code).toBe('validation');
      }
    });

    it('answers a body over the limit (256 KiB) with 413, before parsing it', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(256 * 1024), password: 'p' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(413);
      expect(expectErrorShape(response)).toMatchObject({ code: 'validation', message: 'Request body is too large' });
    });

    withoutTenancy('answers 503 unavailable when tenancy is not answering, without internals', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery staple' },
      });
      expect(response.statusCode).toBe(503);
      expect(expectErrorShape(response)).toMatchObject({
        code: 'unavailable',
        message: "No service is answering 'tenancy.user.sign-up'",
      });
    });
  });

  describe('authentication', () => {
    it('answers 401 without a credential on a protected route', async () => {
      for (const [method, url] of [
        ['GET', '/v1/tenant'],
        ['GET', '/v1/tenants'],
        ['GET', '/v1/plans'],
        ['POST', '/v1/auth/token'],
        ['GET', '/v1/admin/tenants'],
      ] as const) {
        const response = await gateway.call({ method, url });
        expect(response.statusCode).toBe(401);
        expect(expectErrorShape(response).code).toBe('unauthenticated');
      }
    });

    it('answers 401 for a malformed, forged or expired token', async () => {
      const token = gateway.userToken();
      const [header, payload] = token.split('.');
      const expired = new JwtService({ secret: gateway.config.jwtSecret }).sign(
        {
          sub: randomUUID(),
          kind: 'user',
          platformRoles: [],
          iss: 'caas-gateway',
          exp: Math.floor(Date.now() / 1000) - 10,
        },
        {},
      );
      for (const [authorization, message] of [
        ['Basic dXNlcjpwYXNz', 'Authorization must be "Bearer <token or API key>"'],
        ['Bearer nonsense', 'Invalid token'],
        [`Bearer ${header}.${payload}.forgedsignature`, 'Invalid token'],
        [`Bearer ${expired}`, 'Token expired: log in again'],
      ]) {
        const response = await gateway.call({ method: 'GET', url: '/v1/tenants', headers: { authorization } });
        expect(response.statusCode).toBe(401);
        expect(expectErrorShape(response)).toMatchObject({ code: 'unauthenticated', message });
      }
    });

    it('refuses a bad credential even on a public route', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { authorization: 'Bearer nonsense' },
        payload: { email: 'a@example.com', password: 'x' },
      });
      expect(response.statusCode).toBe(401);
    });

    it('answers 403 on a tenant route for a user token without tenant scope, saying how to get one', async () => {
      const response = await gateway.call({
        method: 'GET',
        url: '/v1/members',
        headers: { authorization: `Bearer ${gateway.userToken()}` },
      });
      expect(response.statusCode).toBe(403);
      const body = expectErrorShape(response);
      expect(body.code).toBe('forbidden');
      expect(body.message).toMatch(/tenant-scoped token with POST \/v1\/auth\/token/);
    });

    it('answers 403 on platform routes without the platform role', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: `/v1/admin/tenants/${randomUUID()}/suspend`,
        headers: { authorization: `Bearer ${gateway.userToken(['finance'])}` },
        payload: { reason: 'overdue' },
      });
      expect(response.statusCode).toBe(403);
      expect(expectErrorShape(response).message).toMatch(/platform-admin/);
    });

    it('grants platform roles to platform admins only, validating e-mail and role before asking tenancy', async () => {
      const grant = (platformRoles: ('platform-admin' | 'finance')[], payload: Record<string, string>) =>
        gateway.call({
          method: 'POST',
          url: '/v1/admin/platform-roles',
          headers: { authorization: `Bearer ${gateway.userToken(platformRoles)}` },
          payload,
        });
      for (const roles of [[], ['finance']] as const) {
        const refused = await grant([...roles], { email: 'grace@example.com', role: 'finance' });
        expect(refused.statusCode).toBe(403);
        expect(expectErrorShape(refused).message).toMatch(/platform-admin/);
      }
      const invalid = await grant(['platform-admin'], { email: 'not-an-email', role: 'owner' });
      expect(invalid.statusCode).toBe(400);
      expect((expectErrorShape(invalid).violations as Array<{ field: string }>).map((v) => v.field).sort()).toEqual([
        'email',
        'role',
      ]);
    });

    withoutTenancy('passes a valid grant by a platform admin on to tenancy', async () => {
      const response = await gateway.call({
        method: 'POST',
        url: '/v1/admin/platform-roles',
        headers: { authorization: `Bearer ${gateway.userToken(['platform-admin'])}` },
        payload: { email: 'grace@example.com', role: 'finance' },
      });
      expect(response.statusCode).toBe(503);
      expect(expectErrorShape(response)).toMatchObject({
        message: "No service is answering 'tenancy.platform-role.grant'",
      });
    });

    withoutTenancy(
      'asks tenancy to verify an API key on each request (503 while tenancy is down, not 401)',
      async () => {
        const response = await gateway.call({
          method: 'GET',
          url: '/v1/tenant',
          headers: { authorization: 'Bearer caas_0123456789abcdef' },
        });
        expect(response.statusCode).toBe(503);
        expect(expectErrorShape(response)).toMatchObject({
          message: "No service is answering 'tenancy.api-key.verify'",
        });
      },
    );
  });

  describe('correlation id', () => {
    it("echoes the caller's X-Correlation-Id, in the header and the error body", async () => {
      const response = await gateway.call({
        method: 'GET',
        url: '/v1/tenant',
        headers: { 'x-correlation-id': 'req-123' },
      });
      expect(response.headers['x-correlation-id']).toBe('req-123');
      expect(response.json().correlationId).toBe('req-123');
    });

    it('generates a UUID when there is none, on successful responses too', async () => {
      const response = await gateway.call({ method: 'GET', url: '/docs-json' });
      expect(response.headers['x-correlation-id']).toMatch(UUID);
    });

    it('refuses an invalid one with 400 naming the header, answering under a fresh id', async () => {
      const response = await gateway.call({
        method: 'GET',
        url: '/v1/tenant',
        headers: { 'x-correlation-id': 'x'.repeat(101) },
      });
      expect(response.statusCode).toBe(400);
      const body = expectErrorShape(response);
      expect(body.correlationId).toMatch(UUID);
      expect(body.violations).toEqual([expect.objectContaining({ field: 'X-Correlation-Id' })]);
    });
  });

  describe('Idempotency-Key', () => {
    const createTenant = (token: string, key: string | undefined, payload: object) =>
      gateway.call({
        method: 'POST',
        url: '/v1/tenants',
        headers: { authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload,
      });

    it('replays the stored answer for the same key and body, marked as replayed', async () => {
      const token = gateway.userToken();
      const key = randomUUID();
      // An invalid body is a definite answer, stored like any other (tenancy is not needed for it).
      const first = await createTenant(token, key, { name: '-invalid' });
      expect(first.statusCode).toBe(400);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const again = await createTenant(token, key, { name: '-invalid' });
      expect(again.statusCode).toBe(400);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      // The response header names this request; the stored body names the one that ran.
      expect(again.headers['x-correlation-id']).not.toBe(first.headers['x-correlation-id']);
    });

    it('answers 422 idempotency_mismatch for the same key with a different body or path', async () => {
      const token = gateway.userToken();
      const key = randomUUID();
      await createTenant(token, key, { name: '-invalid' });
      const otherBody = await createTenant(token, key, { name: '-other' });
      expect(otherBody.statusCode).toBe(422);
      expect(expectErrorShape(otherBody).code).toBe('idempotency_mismatch');
      const otherPath = await gateway.call({
        method: 'POST',
        url: `/v1/invitations/${randomUUID()}/accept`,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      });
      expect(otherPath.statusCode).toBe(422);
    });

    it('keeps keys per principal: another user with the same key is not answered from them', async () => {
      const key = randomUUID();
      await createTenant(gateway.userToken(), key, { name: '-invalid' });
      const other = await createTenant(gateway.userToken(), key, { name: '-other' });
      expect(other.statusCode).toBe(400);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
    });

    withoutTenancy('does not store server errors: the next attempt runs again', async () => {
      const key = randomUUID();
      const signUp = () =>
        gateway.call({
          method: 'POST',
          url: '/v1/auth/signup',
          headers: { 'idempotency-key': key },
          payload: { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery staple' },
        });
      const first = await signUp();
      const second = await signUp();
      expect([first.statusCode, second.statusCode]).toEqual([503, 503]);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(second.json().correlationId).not.toBe(first.json().correlationId);
    });

    it('refuses a malformed key with 400 naming the header', async () => {
      for (const key of ['', 'has space', 'x'.repeat(256)]) {
        const response = await createTenant(gateway.userToken(), key, { name: 'Acme' });
        expect(response.statusCode).toBe(400);
        expect(expectErrorShape(response).violations).toEqual([
          expect.objectContaining({ field: 'Idempotency-Key', rule: 'format' }),
        ]);
      }
    });

    withoutTenancy('is ignored on reads and on credential-issuing routes', async () => {
      const read = await gateway.call({
        method: 'GET',
        url: '/v1/tenant',
        headers: { 'idempotency-key': 'has space' },
      });
      expect(read.statusCode).toBe(401);
      const login = await gateway.call({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'idempotency-key': 'has space' },
        payload: { email: 'ada@example.com', password: 'correct horse battery staple' },
      });
      expect(login.statusCode).toBe(503);
    });

    it('is not claimed by a request the access guard refuses', async () => {
      const key = randomUUID();
      const refused = await gateway.call({
        method: 'POST',
        url: '/v1/tenants',
        headers: { 'idempotency-key': key },
        payload: { name: 'Acme' },
      });
      expect(refused.statusCode).toBe(401);
      const again = await gateway.call({
        method: 'POST',
        url: '/v1/tenants',
        headers: { 'idempotency-key': key },
        payload: { name: 'Acme' },
      });
      expect(again.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  it('listens on a real socket', async () => {
    const server = await startGateway();
    try {
      await server.app.listen(0, '127.0.0.1');
      const { port } = server.app.getHttpServer().address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/v1/nope`, { headers: { 'X-Correlation-Id': 'over-tcp' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-correlation-id')).toBe('over-tcp');
      expect(await response.json()).toMatchObject({ code: 'not_found', correlationId: 'over-tcp' });
    } finally {
      await server.app.close();
    }
  });
});

describe('rate limit (real PostgreSQL and NATS)', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => (gateway = await startGateway({ rateLimitPerMinute: 3 })));
  afterAll(() => gateway?.app.close());

  it('answers 429 rate_limited with Retry-After once a caller exceeds the limit, counting each caller apart', async () => {
    const anonymous = () => gateway.call({ method: 'GET', url: '/v1/plans' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await anonymous()).statusCode);
    expect(statuses).toEqual([401, 401, 401]);

    const limited = await anonymous();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(expectErrorShape(limited)).toMatchObject({
      code: 'rate_limited',
      details: { limit: 3, retryAfterSeconds: expect.any(Number) },
    });

    // Another principal has its own budget (per tenant when there is one, see principal.spec.ts).
    const user = await gateway.call({
      method: 'GET',
      url: '/v1/members',
      headers: { authorization: `Bearer ${gateway.userToken()}` },
    });
    expect(user.statusCode).toBe(403);
  });

  it('counts refused credentials against the client address', async () => {
    const limitedGateway = await startGateway({ rateLimitPerMinute: 2 });
    try {
      const guess = () =>
        limitedGateway.call({ method: 'GET', url: '/v1/tenants', headers: { authorization: 'Bearer wrong' } });
      expect((await guess()).statusCode).toBe(401);
      expect((await guess()).statusCode).toBe(401);
      expect((await guess()).statusCode).toBe(429);
    } finally {
      await limitedGateway.app.close();
    }
  });
});
