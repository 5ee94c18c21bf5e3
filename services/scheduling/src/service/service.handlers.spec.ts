import {
  type ContainerView,
  type CreatedService,
  type RegisteredHost,
  SCHEDULING,
  SHARED_POOL_ENVIRONMENT_ID,
  type ServiceView,
} from '@caas/contracts';
import { eventually } from '@caas/testing';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import { removeEngineObjects } from '../testing/engine-cleanup';
import {
  type SchedulingUnderTest,
  type TestTenant,
  createTestTenant,
  platformAdmin,
  startSchedulingForTest,
} from '../testing/scheduling-test-kit';

const service = (environmentId: string, extra: Record<string, unknown> = {}) => ({
  name: 'web',
  environmentId,
  replicas: 1,
  image: 'caas/busybox:1',
  command: ['sh', '-c', 'sleep 3600'],
  env: { DATABASE_PASSWORD: 's3cret' },
  resources: { cpus: 0.25, memoryMb: 128 },
  ...extra,
});

// Free plan: maxContainers 2, maxVcpu 1, maxMemoryMb 1024.
describe('scheduling over NATS: services', () => {
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

  it('refuses invalid payloads naming the fields, viewers, unknown environments and quota overruns', async () => {
    const invalid = await sut.client.expectRefused(
      SCHEDULING.createService,
      service(tenant.environmentId, { name: 'Web!', replicas: -1, capAdd: ['SYS_ADMIN'] }),
      tenant.as('developer'),
      'validation',
    );
    expect(invalid.extra.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name' }),
        expect.objectContaining({ field: 'replicas' }),
        expect.objectContaining({ field: 'capAdd', rule: 'forbidden' }),
      ]),
    );
    await sut.client.expectRefused(
      SCHEDULING.createService,
      service(tenant.environmentId),
      tenant.as('viewer'),
      'forbidden',
    );
    const other = await createTestTenant(sut.client);
    await sut.client.expectRefused(
      SCHEDULING.createService,
      service(other.environmentId),
      tenant.as('developer'),
      'not_found',
    );
    const overQuota = await sut.client.expectRefused(
      SCHEDULING.createService,
      service(tenant.environmentId, { replicas: 3 }),
      tenant.as('developer'),
      'quota_exceeded',
    );
    expect(overQuota.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 0, requested: 3 });
    expect(await call(SCHEDULING.listServices, {}, tenant.as('viewer'))).toEqual([]);
  });

  it('creates, scales within the quota, updates, and keeps another tenant out', async () => {
    const { serviceId } = await call<CreatedService>(SCHEDULING.createService, service(tenant.environmentId));
    expect(await call<ServiceView>(SCHEDULING.getService, { serviceId }, tenant.as('viewer'))).toMatchObject({
      serviceId,
      name: 'web',
      replicas: { desired: 1 },
      revision: 1,
    });
    await sut.client.expectRefused(
      SCHEDULING.createService,
      service(tenant.environmentId, { replicas: 0 }),
      tenant.as('developer'),
      'conflict',
    );

    const scaled = await sut.client.expectRefused(
      SCHEDULING.scaleService,
      { serviceId, replicas: 3 },
      tenant.as('developer'),
      'quota_exceeded',
    );
    expect(scaled.extra.details).toMatchObject({ limit: 'maxContainers', inUse: 1, requested: 2 });
    expect(await call<ServiceView>(SCHEDULING.scaleService, { serviceId, replicas: 2 })).toMatchObject({
      replicas: { desired: 2 },
    });
    // 2 × 0.75 vCPU would pass maxVcpu 1; 2 × 0.5 is exactly it.
    const bigger = await sut.client.expectRefused(
      SCHEDULING.updateService,
      { serviceId, resources: { cpus: 0.75, memoryMb: 128 } },
      tenant.as('developer'),
      'quota_exceeded',
    );
    expect(bigger.extra.details).toEqual({ limit: 'maxVcpu', allowed: 1, inUse: 0.5, requested: 1 });
    expect(
      await call<ServiceView>(SCHEDULING.updateService, { serviceId, resources: { cpus: 0.5, memoryMb: 128 } }),
    ).toMatchObject({ revision: 2 });

    const other = await createTestTenant(sut.client);
    tenantIds.push(other.tenantId);
    await sut.client.expectRefused(SCHEDULING.getService, { serviceId }, other.as('owner'), 'not_found');
    await sut.client.expectRefused(SCHEDULING.scaleService, { serviceId, replicas: 0 }, other.as('owner'), 'not_found');

    expect(await call(SCHEDULING.scaleService, { serviceId, replicas: 0 })).toMatchObject({ replicas: { desired: 0 } });
    expect(await call(SCHEDULING.removeService, { serviceId })).toEqual({ serviceId });
    await sut.client.expectRefused(SCHEDULING.getService, { serviceId }, tenant.as('viewer'), 'not_found');
  });

  it("refuses to stop or remove a service's replica directly", async () => {
    const { hostId } = await sut.client.call<RegisteredHost>(
      SCHEDULING.registerHost,
      { endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID },
      platformAdmin(),
    );
    hostIds.push(hostId);
    const { serviceId } = await call<CreatedService>(
      SCHEDULING.createService,
      service(tenant.environmentId, { name: 'api' }),
    );
    // The reconciler places the replica.
    const [replica] = await eventually(
      () => call<ContainerView[]>(SCHEDULING.listContainers, { serviceId }, tenant.as('viewer')),
      (replicas) => replicas.length === 1,
      { timeoutMs: 20_000 },
    );
    expect(replica).toMatchObject({ serviceId, replica: expect.any(Number) });
    for (const pattern of [SCHEDULING.stopContainer, SCHEDULING.removeContainer]) {
      const error = await sut.client.expectRefused(
        pattern,
        { containerId: replica!.containerId },
        tenant.as('developer'),
        'conflict',
      );
      expect(error.message).toContain(`replica ${replica!.replica} of service ${serviceId}`);
    }
    await call(SCHEDULING.removeService, { serviceId });
  });
});
