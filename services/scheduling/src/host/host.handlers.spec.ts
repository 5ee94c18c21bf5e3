import { type HostView, type RegisteredHost, SCHEDULING, SHARED_POOL_ENVIRONMENT_ID } from '@caas/contracts';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import {
  type SchedulingUnderTest,
  createTestTenant,
  platformAdmin,
  startSchedulingForTest,
  userMeta,
} from '../testing/scheduling-test-kit';

describe('scheduling over NATS: hosts', () => {
  let sut: SchedulingUnderTest;
  let endpoint: string;

  beforeAll(async () => {
    [sut, [endpoint]] = (await Promise.all([startSchedulingForTest(), dockerHosts()])) as [
      SchedulingUnderTest,
      [string],
    ];
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(() => sut?.close());

  it('is for platform admins only, refused before any engine is contacted', async () => {
    const tenant = await createTestTenant(sut.client);
    // An engine that does not exist: a non-admin must get forbidden, not "unreachable".
    const payload = { endpoint: 'unix:///nonexistent/docker.sock', environmentId: SHARED_POOL_ENVIRONMENT_ID };
    for (const meta of [tenant.as('owner'), userMeta('finance-user', null, ['finance'])]) {
      await sut.client.expectRefused(SCHEDULING.registerHost, payload, meta, 'forbidden');
      await sut.client.expectRefused(SCHEDULING.listHosts, {}, meta, 'forbidden');
    }
  });

  it('refuses an engine that does not answer, naming the endpoint', async () => {
    const error = await sut.client.expectRefused(
      SCHEDULING.registerHost,
      { endpoint: 'unix:///nonexistent/docker.sock', environmentId: SHARED_POOL_ENVIRONMENT_ID },
      platformAdmin(),
      'validation',
    );
    expect(error.extra.violations).toEqual([expect.objectContaining({ field: 'endpoint', rule: 'reachable' })]);
    const plainTcp = await sut.client.expectRefused(
      SCHEDULING.registerHost,
      { endpoint: 'tcp://10.0.0.1:2375', environmentId: SHARED_POOL_ENVIRONMENT_ID },
      platformAdmin(),
      'validation',
    );
    expect(plainTcp.extra.violations).toEqual([expect.objectContaining({ field: 'endpoint', rule: 'tls' })]);
  });

  it('registers a real engine with its capacity, drains and removes it', async () => {
    const admin = platformAdmin();
    const { hostId } = await sut.client.call<RegisteredHost>(
      SCHEDULING.registerHost,
      { endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID, labels: { zone: 'test' } },
      admin,
    );
    const view = await sut.client.call<HostView>(SCHEDULING.getHost, { hostId }, admin);
    expect(view).toMatchObject({ hostId, endpoint, status: 'up', labels: { zone: 'test' }, containers: 0 });
    expect(view.capacity.cpus).toBeGreaterThan(0);
    expect(view.capacity.memoryMb).toBeGreaterThan(0);
    expect((await sut.client.call<HostView[]>(SCHEDULING.listHosts, {}, admin)).map((h) => h.hostId)).toEqual([hostId]);

    const twice = await sut.client.expectRefused(
      SCHEDULING.registerHost,
      { endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID },
      admin,
      'conflict',
    );
    expect(twice.message).toContain(hostId);

    await sut.client.expectRefused(SCHEDULING.removeHost, { hostId }, admin, 'conflict');
    expect(await sut.client.call<HostView>(SCHEDULING.drainHost, { hostId }, admin)).toMatchObject({
      status: 'draining',
    });
    expect(await sut.client.call<HostView>(SCHEDULING.removeHost, { hostId }, admin)).toMatchObject({
      status: 'removed',
    });
    expect(await sut.client.call<HostView[]>(SCHEDULING.listHosts, {}, admin)).toEqual([]);
  });
});
