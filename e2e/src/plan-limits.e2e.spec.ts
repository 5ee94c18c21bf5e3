import { type Api, type Answer, type Json } from './support/api';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * A plan lowered under a tenant's feet, through the gateway's HTTP API with tenancy and
 * scheduling as child processes on the real engines: what the tenant already runs stays,
 * what it asks for beyond the new plan is refused, and it can work its way back under
 * the limit. The rule itself (libs/contracts/src/tenancy/plan-limits.ts) has its unit
 * spec; this checks the services hand it the plan in force and the usage they hold.
 */

const ADMIN = { email: 'plan-limits-e2e-admin@example.com', password: 'plan limits e2e admin password' };
/** Host ports of this file's own (the sleepers publish none, but the range must not overlap). */
const PORT_RANGE = '32750-32767';
/** The free plan's maxContainers (services/tenancy/src/plan/plan.catalogue.ts). */
const FREE_MAX_CONTAINERS = 2;

describe('plan limits after a downgrade (tenancy, scheduling, gateway as child processes; real engines)', () => {
  let platform: Platform;
  let api: Api;
  let owner: { token: string };
  /**
   * Scheduling remembers a plan per caller until tenancy's TenantPlanChanged reaches it
   * (tens of milliseconds, see services/scheduling/src/shared/tenancy-client.ts). The
   * containers are filled in with an API key and everything after the downgrade is asked
   * by the owner, whose plan scheduling never remembered: its first answer is the new one.
   */
  let apiKey: string;
  let environmentId: string;
  const running: string[] = [];

  beforeAll(async () => {
    platform = await Platform.start({
      admin: ADMIN,
      gatewayEnv: { RPC_TIMEOUT_MS: '15000' },
      scheduling: { bootstrapHosts: await dockerHosts(), portRange: PORT_RANGE },
    });
    api = platform.api;
    const user = await api.signUp('downgrade');
    const name = `Downgrade ${Date.now()}`;
    const tenant = await api.expect(201, 'POST', '/v1/tenants', { token: user.token, body: { name, planId: 'pro' } });
    owner = { token: await api.tenantToken(user.token, tenant.body.tenantId) };
    const environment = await api.expect(201, 'POST', '/v1/environments', {
      token: owner.token,
      body: { name: 'production' },
    });
    environmentId = environment.body.environmentId;
    const key = await api.expect(201, 'POST', '/v1/api-keys', {
      token: owner.token,
      body: { name: 'deployer', role: 'developer' },
    });
    apiKey = key.body.secret;
  }, ENGINE_SETUP_TIMEOUT_MS + 120_000);

  afterAll(() => platform?.stop(), 60_000);

  const sleeper = () => ({
    environmentId,
    image: 'caas/busybox:1',
    command: ['sleep', '3600'],
    resources: { cpus: 0.1, memoryMb: 32 },
  });

  const createContainer = (token: string) => api.call('POST', '/v1/containers', { token, body: sleeper() });

  const expectMaxContainersRefusal = (answer: Answer, inUse: number) => {
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 403, code: 'quota_exceeded' });
    expect(answer.body.message).toContain('maxContainers');
    expect(answer.body.details).toEqual({ limit: 'maxContainers', allowed: FREE_MAX_CONTAINERS, inUse, requested: 1 });
  };

  it('on the pro plan, creates more containers than the free plan allows', async () => {
    for (let i = 0; i <= FREE_MAX_CONTAINERS; i++) {
      const created = await api.expect(201, 'POST', '/v1/containers', { token: apiKey, body: sleeper() });
      running.push(created.body.containerId);
    }
    const listed = await api.expect(200, 'GET', '/v1/containers', { token: owner.token });
    expect(listed.body.map((container: Json) => container.containerId).sort()).toEqual([...running].sort());
  });

  it('the owner lowers the plan to free: the quotas in force are the free plan’s', async () => {
    await api.expect(200, 'POST', '/v1/tenant/plan', { token: owner.token, body: { planId: 'free' } });
    const quotas = await api.expect(200, 'GET', '/v1/quotas', { token: owner.token });
    expect(quotas.body).toMatchObject({ planId: 'free', quotas: { maxContainers: FREE_MAX_CONTAINERS } });
  });

  it('one more container is refused with 403 quota_exceeded naming maxContainers; the running ones stay', async () => {
    expectMaxContainersRefusal(await createContainer(owner.token), FREE_MAX_CONTAINERS + 1);
    const listed = await api.expect(200, 'GET', '/v1/containers', { token: owner.token });
    expect(listed.body).toHaveLength(FREE_MAX_CONTAINERS + 1);
  });

  it('at the limit (one removed) it is still refused; under it (two removed) creating works again', async () => {
    await api.expect(200, 'DELETE', `/v1/containers/${running.pop()}`, { token: owner.token });
    expectMaxContainersRefusal(await createContainer(owner.token), FREE_MAX_CONTAINERS);

    await api.expect(200, 'DELETE', `/v1/containers/${running.pop()}`, { token: owner.token });
    const created = await createContainer(owner.token);
    expect({ status: created.status, body: created.body }).toEqual({
      status: 201,
      body: { containerId: expect.any(String) },
    });
    running.push(created.body.containerId);
    // Back at the free plan's limit.
    expectMaxContainersRefusal(await createContainer(owner.token), FREE_MAX_CONTAINERS);
  });
});
