import {
  type ContainerView,
  type CreatedContainer,
  type RegisteredHost,
  SCHEDULING,
  SHARED_POOL_ENVIRONMENT_ID,
} from '@caas/contracts';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import { removeEngineObjects } from '../testing/engine-cleanup';
import {
  type SchedulingUnderTest,
  type TestTenant,
  containerPayload,
  createTestTenant,
  platformAdmin,
  startSchedulingForTest,
} from '../testing/scheduling-test-kit';

// The service in-process on its own database and nats-server, a real tenancy beside it
// (plans, environments), and one real Docker engine registered as a host mid-way.
describe('scheduling over NATS: containers', () => {
  let sut: SchedulingUnderTest;
  let endpoint: string;
  let tenant: TestTenant;
  const hostIds: string[] = [];
  const tenantIds: string[] = [];

  beforeAll(async () => {
    [sut, [endpoint]] = (await Promise.all([startSchedulingForTest(), dockerHosts()])) as [
      SchedulingUnderTest,
      [string],
    ];
    tenant = await createTestTenant(sut.client);
    tenantIds.push(tenant.tenantId);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await sut?.close();
    if (endpoint) await removeEngineObjects(endpoint, hostIds, tenantIds);
  });

  const call = <T>(pattern: string, payload: unknown, as = tenant.as('developer')) =>
    sut.client.call<T>(pattern, payload, as);

  it('refuses an invalid payload naming each field, and a Docker option that would give it the host', async () => {
    const error = await sut.client.expectRefused(
      SCHEDULING.createContainer,
      { environmentId: 'prod', image: 'Not An Image', resources: { cpus: 0, memoryMb: 1 } },
      tenant.as('developer'),
      'validation',
    );
    const fields = error.extra.violations!.map((violation) => violation.field);
    expect(fields).toEqual(expect.arrayContaining(['environmentId', 'image', 'resources.cpus', 'resources.memoryMb']));

    const privileged = await sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(tenant.environmentId, { privileged: true }),
      tenant.as('developer'),
      'validation',
    );
    expect(privileged.extra.violations).toEqual([expect.objectContaining({ field: 'privileged', rule: 'forbidden' })]);
  });

  it('lets viewers read but not create, and checks the environment is the tenant’s', async () => {
    await sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(tenant.environmentId),
      tenant.as('viewer'),
      'forbidden',
    );
    expect(await call(SCHEDULING.listContainers, {}, tenant.as('viewer'))).toEqual([]);

    const other = await createTestTenant(sut.client);
    const error = await sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(other.environmentId),
      tenant.as('developer'),
      'not_found',
    );
    expect(error.message).toContain('environmentId');
  });

  it('names the placement constraint when no host can take the container', async () => {
    const error = await sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(tenant.environmentId),
      tenant.as('developer'),
      'conflict',
    );
    expect(error.extra.details).toEqual({ constraint: 'no-hosts', reason: expect.any(String) });
    expect(error.message).toContain('no-hosts');
  });

  describe('with a host', () => {
    let containerId: string;

    beforeAll(async () => {
      const { hostId } = await sut.client.call<RegisteredHost>(
        SCHEDULING.registerHost,
        { endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID },
        platformAdmin(),
      );
      hostIds.push(hostId);
    });

    it('places a container and shows it to its tenant only', async () => {
      ({ containerId } = await call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(tenant.environmentId),
      ));
      const view = await call<ContainerView>(SCHEDULING.getContainer, { containerId }, tenant.as('viewer'));
      expect(view).toMatchObject({
        containerId,
        environmentId: tenant.environmentId,
        serviceId: null,
        hostId: hostIds[0],
        image: 'caas/busybox:1',
        resources: { cpus: 0.1, memoryMb: 64 },
      });

      const other = await createTestTenant(sut.client);
      tenantIds.push(other.tenantId);
      for (const pattern of [SCHEDULING.getContainer, SCHEDULING.stopContainer, SCHEDULING.removeContainer]) {
        await sut.client.expectRefused(pattern, { containerId }, other.as('owner'), 'not_found');
      }
      expect(await call(SCHEDULING.listContainers, {}, other.as('owner'))).toEqual([]);
    });

    it('refuses the third container of the free plan (maxContainers 2), recording nothing', async () => {
      await call<CreatedContainer>(SCHEDULING.createContainer, containerPayload(tenant.environmentId));
      const error = await sut.client.expectRefused(
        SCHEDULING.createContainer,
        containerPayload(tenant.environmentId),
        tenant.as('developer'),
        'quota_exceeded',
      );
      expect(error.message).toContain('maxContainers');
      expect(error.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 2, requested: 1 });
      expect(await call<ContainerView[]>(SCHEDULING.listContainers, {})).toHaveLength(2);
      const inCluster = [...sut.scheduling.cluster.containers.values()].filter(
        ({ state }) => state.tenantId === tenant.tenantId,
      );
      expect(inCluster).toHaveLength(2);
    });

    it('stops, starts and removes; a removed container frees its quota', async () => {
      expect(await call<ContainerView>(SCHEDULING.stopContainer, { containerId, timeoutSeconds: 1 })).toMatchObject({
        containerId,
      });
      expect(sut.scheduling.cluster.container(containerId)).toMatchObject({ desired: 'stopped' });
      await call<ContainerView>(SCHEDULING.startContainer, { containerId });
      expect(sut.scheduling.cluster.container(containerId)).toMatchObject({ desired: 'running' });
      expect(await call(SCHEDULING.removeContainer, { containerId })).toEqual({ containerId });
      await sut.client.expectRefused(SCHEDULING.startContainer, { containerId }, tenant.as('developer'), 'not_found');
      await call<CreatedContainer>(SCHEDULING.createContainer, containerPayload(tenant.environmentId));
    });

    it('answers a retried create (same command id) once, with the same container', async () => {
      const other = await createTestTenant(sut.client);
      tenantIds.push(other.tenantId);
      const retried = { ...other.as('developer'), commandId: 'retry-1' };
      const first = await sut.client.call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(other.environmentId),
        retried,
      );
      const second = await sut.client.call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(other.environmentId),
        retried,
      );
      expect(second).toEqual(first);
      expect(await call<ContainerView[]>(SCHEDULING.listContainers, {}, other.as('viewer'))).toHaveLength(1);
    });
  });
});
