import { randomUUID } from 'node:crypto';
import type { Api } from './support/api';
import { Platform } from './support/platform';

/*
 * Time travel: tenancy replays a tenant's stream up to a past time and answers its state
 * then, through GET /v1/audit/state. Times are the test's own clock, taken between two
 * answered requests (the platform runs on this machine).
 */
const ADMIN = { email: 'time-travel-e2e-admin@example.com', password: 'time travel e2e admin password' };

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
/** A time strictly between what was answered before and what is requested after. */
async function instant(): Promise<string> {
  await pause();
  const at = new Date().toISOString();
  await pause();
  return at;
}

describe('time travel (GET /v1/audit/state)', () => {
  let platform: Platform;
  let api: Api;

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN });
    api = platform.api;
  });
  afterAll(() => platform?.stop());

  it('answers a renamed tenant’s earlier name, not found before it existed and for another tenant', async () => {
    const owner = await api.signUp('owner');
    const beforeCreation = await instant();
    const tenant = await api.createTenant(owner.token);
    const { body: created } = await api.expect(200, 'GET', '/v1/tenant', { token: tenant.token });
    const beforeRename = await instant();
    const newName = `Renamed ${randomUUID().slice(0, 8)}`;
    await api.expect(200, 'PATCH', '/v1/tenant', { token: tenant.token, body: { name: newName } });
    const stream = `tenant-${tenant.tenantId}`;
    const stateAt = (at: string, token = tenant.token) =>
      api.call('GET', `/v1/audit/state?stream=${stream}&at=${encodeURIComponent(at)}`, { token });

    const earlier = await stateAt(beforeRename);
    expect(earlier.status).toBe(200);
    expect(earlier.body).toMatchObject({ stream, asOf: beforeRename, tenantId: tenant.tenantId });
    expect(earlier.body.state).toMatchObject({ name: created.name, status: 'active', tenantId: tenant.tenantId });
    const now = await stateAt(new Date().toISOString());
    expect(now.body.state.name).toBe(newName);
    expect(BigInt(now.body.revision)).toBeGreaterThan(BigInt(earlier.body.revision));

    const tooEarly = await stateAt(beforeCreation);
    expect(tooEarly.status).toBe(404);

    const other = await api.signUp('other');
    const otherTenant = await api.createTenant(other.token);
    const foreign = await stateAt(new Date().toISOString(), otherTenant.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
  });

  it('refuses private categories and bad input naming the field; platform-level streams need platform-admin', async () => {
    const owner = await api.signUp('owner');
    const tenant = await api.createTenant(owner.token);
    const at = encodeURIComponent(new Date().toISOString());
    const ask = (stream: string, token: string, when = at) =>
      api.call('GET', `/v1/audit/state?stream=${stream}&at=${when}`, { token });

    for (const stream of [`credential-${owner.userId}`, `apikeysecret-${randomUUID()}`, `meter-${tenant.tenantId}`]) {
      const refused = await ask(stream, tenant.token);
      expect(refused.status).toBe(400);
      expect(refused.body.violations).toEqual([expect.objectContaining({ field: 'stream', rule: 'publicCategory' })]);
    }
    const badTime = await ask(`tenant-${tenant.tenantId}`, tenant.token, 'yesterday');
    expect(badTime.status).toBe(400);
    expect(badTime.body.violations).toEqual([expect.objectContaining({ field: 'at' })]);

    // A user's stream is platform-level: not the tenant's to read, the platform admin's.
    expect((await ask(`user-${owner.userId}`, tenant.token)).status).toBe(403);
    const adminToken = await api.login(ADMIN.email, ADMIN.password);
    const user = await ask(`user-${owner.userId}`, adminToken);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ tenantId: null, state: { userId: owner.userId, exists: true } });
  });
});
