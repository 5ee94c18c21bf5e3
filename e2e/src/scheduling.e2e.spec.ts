import { REFUSED_CONTAINER_FIELDS, type RefusedContainerField } from '@caas/contracts';
import { eventually } from '@caas/testing';
import { type Api, type Json } from './support/api';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts, engineContainers } from './support/engines';
import { type FollowedLog, followLog } from './support/followed-log';
import { Platform } from './support/platform';

/*
 * Containers and services through the gateway's HTTP API, with the whole platform as
 * child processes (tenancy, scheduling with the local Docker engines as its bootstrap
 * hosts, gateway) on a scratch database of this file's own. What the platform says is
 * checked against the engines themselves and against the containers' published ports.
 */

const ADMIN = { email: 'scheduling-e2e-admin@example.com', password: 'scheduling e2e admin password' };
/** Host ports of this file's own: every suite publishes on the same engines' address. */
const PORT_RANGE = '32550-32699';
/** A reconcile round is 2 s; creating a network and a container on a busy engine takes more. */
const CONVERGE = { timeoutMs: 30_000, intervalMs: 250 };

/**
 * busybox httpd serving the hostname, logging each request (-v). sh stays PID 1 with a
 * TERM trap: httpd as PID 1 would ignore SIGTERM and every stop would wait for SIGKILL.
 */
const WEB_COMMAND = [
  'sh',
  '-c',
  "trap 'exit 0' TERM; mkdir -p /www && hostname > /www/index.html && echo serving $(hostname); " +
    'httpd -f -v -p 8080 -h /www & wait',
];

interface TestTenant {
  readonly tenantId: string;
  /** The owner's tenant token. */
  readonly token: string;
  readonly environmentId: string;
}

describe('scheduling end to end through the gateway (tenancy, scheduling, gateway as child processes; real engines)', () => {
  let platform: Platform;
  let api: Api;
  let endpoints: string[];

  beforeAll(async () => {
    endpoints = await dockerHosts();
    platform = await Platform.start({
      admin: ADMIN,
      gatewayEnv: { RPC_TIMEOUT_MS: '15000' },
      scheduling: { bootstrapHosts: endpoints, portRange: PORT_RANGE },
    });
    api = platform.api;
  }, ENGINE_SETUP_TIMEOUT_MS + 120_000);

  afterAll(() => platform?.stop(), 60_000);

  /** A user owning a fresh tenant (free plan) with one environment. */
  async function newTenant(label: string): Promise<TestTenant> {
    const owner = await api.signUp(label);
    const { tenantId, token } = await api.createTenant(owner.token);
    const environment = await api.expect(201, 'POST', '/v1/environments', { token, body: { name: 'production' } });
    return { tenantId, token, environmentId: environment.body.environmentId };
  }

  const webContainer = (tenant: TestTenant) => ({
    environmentId: tenant.environmentId,
    image: 'caas/busybox:1',
    command: WEB_COMMAND,
    ports: [{ containerPort: 8080 }],
    resources: { cpus: 0.1, memoryMb: 32 },
  });

  const sleeper = (tenant: TestTenant) => ({
    environmentId: tenant.environmentId,
    image: 'caas/busybox:1',
    command: ['sleep', '3600'],
    resources: { cpus: 0.1, memoryMb: 32 },
  });

  const getContainer = (tenant: TestTenant, containerId: string) =>
    api.call('GET', `/v1/containers/${containerId}`, { token: tenant.token });

  /** The container's view once `done` holds for it (or the last one seen, for the assertion). */
  async function containerWhen(tenant: TestTenant, containerId: string, done: (view: Json) => boolean) {
    const answer = await eventually(
      () => getContainer(tenant, containerId),
      (seen) => seen.status === 200 && done(seen.body),
      CONVERGE,
    );
    return answer.body;
  }

  /** What the container's first published port answers over HTTP, retried until httpd listens. */
  async function httpBody(view: Json): Promise<string> {
    const [{ hostIp, hostPort }] = view.ports;
    const body = await eventually(
      async () => {
        const response = await fetch(`http://${hostIp}:${hostPort}/`, { signal: AbortSignal.timeout(3_000) });
        return response.ok ? response.text() : '';
      },
      (text) => text.length > 0,
      CONVERGE,
    );
    return body.trim();
  }

  /** The engine's containers (on any host) labelled with this container id. */
  async function onEngines(containerId: string) {
    const lists = await Promise.all(
      endpoints.map((endpoint) => engineContainers(endpoint, [`caas.container=${containerId}`])),
    );
    return lists.flat();
  }

  it('registered the bootstrap engines as up hosts of the shared pool, and not again after a restart', async () => {
    const token = await api.login(ADMIN.email, ADMIN.password);
    const upHosts = () =>
      eventually(
        () => api.expect(200, 'GET', '/v1/hosts', { token }),
        (answer) => answer.body.every((host: Json) => host.status === 'up'),
        CONVERGE,
      );
    const hosts = await upHosts();
    expect(hosts.body.map((host: Json) => host.endpoint).sort()).toEqual([...endpoints].sort());
    expect(hosts.body.every((host: Json) => host.status === 'up' && host.capacity.cpus > 0)).toBe(true);

    await platform.scheduling!.restart();
    const again = await upHosts();
    expect(again.body.map((host: Json) => host.hostId).sort()).toEqual(
      hosts.body.map((host: Json) => host.hostId).sort(),
    );
  }, 60_000);

  describe('a standalone container', () => {
    let tenant: TestTenant;
    let containerId: string;
    let log: FollowedLog | undefined;

    beforeAll(async () => {
      tenant = await newTenant('lifecycle');
    });

    afterAll(() => log?.cancel());

    it('is created and runs, its published port answering HTTP, its start line in the log', async () => {
      const created = await api.expect(201, 'POST', '/v1/containers', {
        token: tenant.token,
        body: webContainer(tenant),
      });
      containerId = created.body.containerId;
      const view = await containerWhen(tenant, containerId, (seen) => seen.status === 'running');
      expect(view).toMatchObject({
        status: 'running',
        environmentId: tenant.environmentId,
        ports: [{ containerPort: 8080, protocol: 'tcp', hostPort: expect.any(Number), hostIp: expect.any(String) }],
      });
      const hostPort = view.ports[0].hostPort;
      expect(hostPort >= 32550 && hostPort <= 32699).toBe(true);
      const hostname = await httpBody(view);
      expect(hostname).toMatch(/^[0-9a-f]{12}$/);

      const logs = await eventually(
        () => api.expect(200, 'GET', `/v1/containers/${containerId}/logs?tail=20`, { token: tenant.token }),
        (answer) => answer.body.lines.some((line: Json) => line.line.includes('response:200')),
        CONVERGE,
      );
      const lines = logs.body.lines.map((line: Json) => line.line);
      expect(lines).toContain(`serving ${hostname}`);
      expect(logs.body.lines[0]).toMatchObject({ stream: expect.any(String), at: expect.any(String) });
    });

    it('follows its log: a line written after the request began arrives, and the stream ends when it stops', async () => {
      log = await followLog(api, tenant.token, containerId);
      expect(log.status).toBe(200);
      expect(log.contentType).toMatch(/application\/x-ndjson/);
      const before = log.lines.length;
      // A request to the container makes httpd write one more log line, after the follow began.
      const view = (await getContainer(tenant, containerId)).body;
      await httpBody(view);
      await eventually(
        async () => log!.lines.slice(before),
        (fresh) => fresh.some((line) => line.line.includes('response:200')),
        CONVERGE,
      );
      expect(log.lines.slice(before).some((line) => line.line.includes('response:200'))).toBe(true);

      const stopped = await api.expect(200, 'POST', `/v1/containers/${containerId}/stop`, {
        token: tenant.token,
        body: { timeoutSeconds: 5 },
      });
      expect(stopped.body.containerId).toBe(containerId);
      expect(await log.ended(20_000)).toBe('ended');
      const view2 = await containerWhen(tenant, containerId, (seen) => seen.status === 'stopped');
      expect(view2.status).toBe('stopped');
    });

    it('starts again, and restarts (a new start time), answering HTTP each time', async () => {
      await api.expect(200, 'POST', `/v1/containers/${containerId}/start`, { token: tenant.token });
      const started = await containerWhen(tenant, containerId, (seen) => seen.status === 'running');
      await httpBody(started);

      await api.expect(200, 'POST', `/v1/containers/${containerId}/restart`, { token: tenant.token });
      const restarted = await containerWhen(
        tenant,
        containerId,
        (seen) => seen.status === 'running' && seen.startedAt !== started.startedAt,
      );
      expect(restarted.startedAt).not.toBe(started.startedAt);
      expect(await httpBody(restarted)).toMatch(/^[0-9a-f]{12}$/);
    });

    it('is deleted: 404 afterwards, and gone from the engine', async () => {
      expect(await onEngines(containerId)).toHaveLength(1);
      await api.expect(200, 'DELETE', `/v1/containers/${containerId}`, { token: tenant.token });
      const gone = await eventually(
        () => getContainer(tenant, containerId),
        (seen) => seen.status === 404,
        CONVERGE,
      );
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('not_found');
      const left = await eventually(
        () => onEngines(containerId),
        (containers) => containers.length === 0,
        CONVERGE,
      );
      expect(left).toEqual([]);
    });
  });

  describe('refused Docker fields', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await newTenant('refusals');
    });

    /** A value each refused field would act on; typed so a new refused field needs one here. */
    const REFUSED_VALUES: Record<RefusedContainerField, unknown> = {
      privileged: true,
      capAdd: ['SYS_ADMIN'],
      binds: ['/:/host'],
      mounts: [{ Type: 'bind', Source: '/', Target: '/host' }],
      volumesFrom: ['another-container'],
      devices: ['/dev/sda'],
      sysctls: { 'net.ipv4.ip_forward': '1' },
      securityOpt: ['seccomp=unconfined'],
      networkMode: 'host',
      pidMode: 'host',
      ipcMode: 'host',
      utsMode: 'host',
      cgroupnsMode: 'host',
      userns: 'host',
    };

    const cases: Array<[field: string, extra: Record<string, unknown>]> = [
      ...Object.keys(REFUSED_CONTAINER_FIELDS).map((field): [string, Record<string, unknown>] => [
        field,
        { [field]: REFUSED_VALUES[field as RefusedContainerField] },
      ]),
      ['ports.0.hostPort', { ports: [{ containerPort: 8080, hostPort: 8080 }] }],
      ['ports.0.hostIp', { ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }] }],
      ['volumes.0.hostPath', { volumes: [{ name: 'data', mountPath: '/data', hostPath: '/etc' }] }],
      ['volumes.0.name', { volumes: [{ name: '/var/run/docker.sock', mountPath: '/var/run/docker.sock' }] }],
    ];

    it.each(cases)('%s: 400 naming the field, rule forbidden', async (field, extra) => {
      const answer = await api.call('POST', '/v1/containers', {
        token: tenant.token,
        body: { ...sleeper(tenant), ...extra },
      });
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'validation' });
      expect(answer.body.violations).toContainEqual(expect.objectContaining({ field, rule: 'forbidden' }));
    });

    it('created nothing', async () => {
      const listed = await api.expect(200, 'GET', '/v1/containers', { token: tenant.token });
      expect(listed.body).toEqual([]);
    });
  });

  describe('quotas on the free plan (2 containers)', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await newTenant('quota');
      for (let i = 0; i < 2; i++) {
        await api.expect(201, 'POST', '/v1/containers', { token: tenant.token, body: sleeper(tenant) });
      }
    });

    const expectQuotaRefusal = (answer: { status: number; body: Json }) => {
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 403, code: 'quota_exceeded' });
      expect(answer.body.details).toMatchObject({ limit: 'maxContainers', allowed: 2, inUse: 2 });
    };

    it('refuses a third container with 403 quota_exceeded naming maxContainers', async () => {
      const third = await api.call('POST', '/v1/containers', { token: tenant.token, body: sleeper(tenant) });
      expectQuotaRefusal(third);
    });

    it('refuses a service of 3 replicas the same way', async () => {
      const service = await api.call('POST', '/v1/services', {
        token: tenant.token,
        body: { ...sleeper(tenant), name: 'web', replicas: 3 },
      });
      expectQuotaRefusal(service);
      expect(service.body.details.requested).toBe(3);
    });

    it('created nothing half-way: still 2 containers and no service', async () => {
      const containers = await api.expect(200, 'GET', '/v1/containers', { token: tenant.token });
      expect(containers.body).toHaveLength(2);
      const services = await api.expect(200, 'GET', '/v1/services', { token: tenant.token });
      expect(services.body).toEqual([]);
    });
  });

  describe("another tenant's containers and services, and a viewer", () => {
    let owner: TestTenant;
    let other: TestTenant;
    let containerId: string;
    let serviceId: string;

    beforeAll(async () => {
      [owner, other] = await Promise.all([newTenant('owner'), newTenant('other')]);
      containerId = (await api.expect(201, 'POST', '/v1/containers', { token: owner.token, body: sleeper(owner) })).body
        .containerId;
      serviceId = (
        await api.expect(201, 'POST', '/v1/services', {
          token: owner.token,
          body: { ...sleeper(owner), name: 'worker', replicas: 1 },
        })
      ).body.serviceId;
    });

    it.each([
      ['GET', '/v1/containers/{container}'],
      ['POST', '/v1/containers/{container}/stop'],
      ['DELETE', '/v1/containers/{container}'],
      ['GET', '/v1/containers/{container}/logs'],
      ['GET', '/v1/containers/{container}/logs?follow=true'],
      ['GET', '/v1/services/{service}'],
      ['POST', '/v1/services/{service}/scale'],
      ['DELETE', '/v1/services/{service}'],
    ])('%s %s of another tenant: 404', async (method, template) => {
      const path = template.replace('{container}', containerId).replace('{service}', serviceId);
      const body = path.endsWith('/scale') ? { replicas: 0 } : undefined;
      const answer = await api.call(method, path, { token: other.token, body });
      expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: 404, code: 'not_found' });
    });

    it("left the owner's container and service alone", async () => {
      await api.expect(200, 'GET', `/v1/containers/${containerId}`, { token: owner.token });
      const service = await api.expect(200, 'GET', `/v1/services/${serviceId}`, { token: owner.token });
      expect(service.body.replicas.desired).toBe(1);
    });

    it('lets a viewer read but not create (403)', async () => {
      const viewer = await api.signUp('viewer');
      const invited = await api.expect(201, 'POST', '/v1/invitations', {
        token: owner.token,
        body: { email: viewer.email, role: 'viewer' },
      });
      await api.expect(200, 'POST', `/v1/invitations/${invited.body.invitationId}/accept`, { token: viewer.token });
      const viewerToken = await api.tenantToken(viewer.token, owner.tenantId);

      const listed = await api.expect(200, 'GET', '/v1/containers', { token: viewerToken });
      expect(listed.body.map((view: Json) => view.containerId)).toContain(containerId);
      const created = await api.call('POST', '/v1/containers', { token: viewerToken, body: sleeper(owner) });
      expect({ status: created.status, code: created.body.code }).toEqual({ status: 403, code: 'forbidden' });
    });
  });
});
