import type { PlatformDashboardView, TenantDashboardView } from '@caas/contracts';
import { eventually } from '@caas/testing';
import type { Api, Json } from './support/api';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * The dashboards end to end: tenancy, scheduling (the local engines as bootstrap hosts),
 * billing, monitoring and the gateway as child processes on this file's own NATS and
 * scratch database. Containers and services are made through the API and run on the real
 * engines; the dashboard, built by monitoring from CAAS_EVENTS alone, must come to say
 * what scheduling's own read model says (GET /v1/containers, /v1/services) and what
 * tenancy says of the plan (GET /v1/quotas).
 */

const ADMIN = { email: 'dashboard-e2e-admin@example.com', password: 'dashboard e2e admin password' };
/** Host ports of this file's own: every suite publishes on the same engines' address. */
const PORT_RANGE = '31200-31299';
/** Engines take seconds to create and start containers; a reconcile round is 2 s. */
const CONVERGE = { timeoutMs: 60_000, intervalMs: 250 };

interface TestTenant {
  readonly tenantId: string;
  readonly token: string;
  readonly environmentId: string;
}

const CONTAINER_STATES = ['pending', 'scheduled', 'running', 'stopped', 'exited'] as const;
const ROLLOUT_STATES = ['idle', 'rolling', 'rolled-back'] as const;

/** What scheduling's own views say, counted the way the dashboard counts. */
function schedulerCounts(containers: Json[], services: Json[]) {
  const byState = <K extends string>(keys: readonly K[], values: string[]) => ({
    total: values.length,
    ...(Object.fromEntries(keys.map((key) => [key, values.filter((value) => value === key).length])) as Record<
      K,
      number
    >),
  });
  return {
    containers: byState(
      CONTAINER_STATES,
      containers.map((container) => container.status),
    ),
    services: {
      ...byState(
        ROLLOUT_STATES,
        services.map((service) => service.rollout.status),
      ),
      replicas: {
        desired: services.reduce((sum, service) => sum + service.replicas.desired, 0),
        running: services.reduce((sum, service) => sum + service.replicas.running, 0),
      },
    },
  };
}

describe('dashboards end to end (tenancy, scheduling, billing, monitoring, gateway as child processes; real engines)', () => {
  let platform: Platform;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let apiKeyOfA: string;
  let stoppedId: string;

  const sleeper = (tenant: TestTenant) => ({
    environmentId: tenant.environmentId,
    image: 'caas/busybox:1',
    command: ['sleep', '3600'],
    resources: { cpus: 0.1, memoryMb: 32 },
  });

  async function newTenant(label: string, planId: string): Promise<TestTenant> {
    const owner = await api.signUp(label);
    const name = `${label} ${Date.now()}`;
    const created = await api.expect(201, 'POST', '/v1/tenants', { token: owner.token, body: { name, planId } });
    const token = await api.tenantToken(owner.token, created.body.tenantId);
    const environment = await api.expect(201, 'POST', '/v1/environments', { token, body: { name: 'production' } });
    return { tenantId: created.body.tenantId, token, environmentId: environment.body.environmentId };
  }

  const dashboard = (token: string) => api.call<TenantDashboardView>('GET', '/v1/dashboard', { token });

  beforeAll(async () => {
    platform = await Platform.start({
      admin: ADMIN,
      gatewayEnv: { RPC_TIMEOUT_MS: '15000' },
      scheduling: { bootstrapHosts: await dockerHosts(), portRange: PORT_RANGE },
      billing: true,
      monitoring: true,
    });
    api = platform.api;
    [a, b] = await Promise.all([newTenant('dash-a', 'pro'), newTenant('dash-b', 'free')]);
    const key = await api.expect(201, 'POST', '/v1/api-keys', {
      token: a.token,
      body: { name: 'dashboards', role: 'viewer' },
    });
    apiKeyOfA = key.body.secret;

    const [running, stopped] = await Promise.all([
      api.expect(201, 'POST', '/v1/containers', { token: a.token, body: sleeper(a) }),
      api.expect(201, 'POST', '/v1/containers', { token: a.token, body: sleeper(a) }),
    ]);
    stoppedId = stopped.body.containerId;
    void running;
    await api.expect(201, 'POST', '/v1/services', {
      token: a.token,
      body: { ...sleeper(a), name: 'web', replicas: 2 },
    });
    // Stopped once it ran: the engine's stop is what the dashboard must see.
    await eventually(
      () => api.expect(200, 'GET', `/v1/containers/${stoppedId}`, { token: a.token }),
      (answer) => answer.body.status === 'running',
      CONVERGE,
    );
    await api.expect(200, 'POST', `/v1/containers/${stoppedId}/stop`, { token: a.token });
  }, ENGINE_SETUP_TIMEOUT_MS + 180_000);

  afterAll(() => platform?.stop(), 60_000);

  it("dashboard numbers match the scheduler's state", async () => {
    // Converged: one stopped container, and everything else running, as scheduling says.
    const settled = await eventually(
      async () => {
        const containers = await api.expect(200, 'GET', '/v1/containers', { token: a.token });
        const services = await api.expect(200, 'GET', '/v1/services', { token: a.token });
        const view = await dashboard(a.token);
        return { expected: schedulerCounts(containers.body, services.body), view };
      },
      ({ expected, view }) =>
        expected.containers.running === 3 &&
        expected.containers.stopped === 1 &&
        expected.services.replicas.running === 2 &&
        view.status === 200 &&
        JSON.stringify({ containers: view.body.containers, services: view.body.services }) ===
          JSON.stringify({ containers: expected.containers, services: expected.services }),
      CONVERGE,
    );
    expect(settled.view.status).toBe(200);
    expect(settled.view.body.containers).toEqual(settled.expected.containers);
    expect(settled.view.body.services).toEqual(settled.expected.services);
    expect(settled.view.body.containers).toMatchObject({ total: 4, running: 3, stopped: 1 });
    const view = settled.view.body;
    expect(view.tenantId).toBe(a.tenantId);
    // The hosts A's containers are placed on, each counted once.
    const containers = (await api.expect(200, 'GET', '/v1/containers', { token: a.token })).body as Json[];
    const hostIds = new Set(containers.map((container) => container.hostId));
    expect(view.hosts).toMatchObject({ total: hostIds.size, up: hostIds.size });

    // Usage against the plan tenancy says is in force, as GET /v1/quotas shows it.
    const quotas = (await api.expect(200, 'GET', '/v1/quotas', { token: a.token })).body;
    expect(view.usage).toEqual({
      planId: quotas.planId,
      planName: quotas.name,
      planSource: 'tenancy',
      limits: [
        // 2 standalone (a stopped one still counts) + 2 replicas, 0.1 vCPU and 32 MB each.
        { limit: 'maxContainers', used: 4, allowed: quotas.quotas.maxContainers },
        { limit: 'maxVcpu', used: 0.4, allowed: quotas.quotas.maxVcpu },
        { limit: 'maxMemoryMb', used: 128, allowed: quotas.quotas.maxMemoryMb },
      ],
      limitsExceeded: [],
    });

    // The month so far, from billing's running bill.
    const bill = (await api.expect(200, 'GET', '/v1/billing/current', { token: a.token })).body;
    expect(view.monthToDateCostUnavailable).toBeNull();
    expect(view.monthToDateCost).toMatchObject({ period: bill.period, currency: bill.currency });
    expect(view.monthToDateCost?.total).toMatch(/^\d+\.\d{6}$/);

    // The tenant's own recent events, newest first, scheduling's among them.
    expect(view.recentEvents.length).toBeGreaterThan(0);
    expect(view.recentEvents.every((event) => event.tenantId === a.tenantId)).toBe(true);
    expect(view.recentEvents.map((event) => event.type)).toContain('ContainerStopped');
    expect(view.lastEventSequence).toBe(view.recentEvents[0].sequence);

    // An API key of the tenant (viewer) sees the same.
    const byKey = await dashboard(apiKeyOfA);
    expect(byKey.status).toBe(200);
    expect(byKey.body.containers).toEqual(view.containers);
  });

  it('another tenant sees none of it', async () => {
    const ofA = await dashboard(a.token);
    const idsOfA = new Set(ofA.body.recentEvents.map((event) => event.id));
    const view = await eventually(
      () => dashboard(b.token),
      (answer) => answer.status === 200 && answer.body.recentEvents.length > 0,
      CONVERGE,
    );
    expect(view.body.tenantId).toBe(b.tenantId);
    expect(view.body.containers).toEqual({ total: 0, pending: 0, scheduled: 0, running: 0, stopped: 0, exited: 0 });
    expect(view.body.services).toEqual({
      total: 0,
      idle: 0,
      rolling: 0,
      'rolled-back': 0,
      replicas: { desired: 0, running: 0 },
    });
    expect(view.body.hosts.total).toBe(0);
    expect(view.body.usage.limits.map((limit) => limit.used)).toEqual([0, 0, 0]);
    expect(view.body.usage.planId).toBe('free');
    expect(view.body.recentEvents.every((event) => event.tenantId === b.tenantId)).toBe(true);
    expect(view.body.recentEvents.some((event) => idsOfA.has(event.id))).toBe(false);
    expect(JSON.stringify(view.body)).not.toContain(a.tenantId);
  });

  it('the platform overview counts every tenant, for platform admins only', async () => {
    const adminToken = await api.login(ADMIN.email, ADMIN.password);
    const containersOfA = (await api.expect(200, 'GET', '/v1/containers', { token: a.token })).body as Json[];
    const overview = await eventually(
      () => api.call<PlatformDashboardView>('GET', '/v1/admin/dashboard?top=50', { token: adminToken }),
      (answer) =>
        answer.status === 200 &&
        answer.body.topTenantsByContainers.some(
          (top) => top.tenantId === a.tenantId && top.containers === containersOfA.length,
        ),
      CONVERGE,
    );
    expect(overview.body.topTenantsByContainers.find((top) => top.tenantId === a.tenantId)?.containers).toBe(4);
    expect(overview.body.containers.total).toBeGreaterThanOrEqual(4);
    expect(overview.body.tenants.byPlan.pro).toBeGreaterThanOrEqual(1);
    expect(overview.body.hosts.list.length).toBeGreaterThan(0);
    expect(overview.body.eventsPerContext.lastHour.scheduling).toBeGreaterThan(0);

    expect((await api.call('GET', '/v1/admin/dashboard', { token: a.token })).status).toBe(403);
    expect((await api.call('GET', '/v1/admin/dashboard', { token: apiKeyOfA })).status).toBe(403);
    const badTop = await api.call('GET', '/v1/admin/dashboard?top=0', { token: adminToken });
    expect(badTop.status).toBe(400);
    expect(badTop.body.violations).toEqual([expect.objectContaining({ field: 'top', rule: 'min' })]);
    expect((await api.call('GET', '/v1/dashboard')).status).toBe(401);
  });
});
