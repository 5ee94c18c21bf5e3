import {
  type ContainerView,
  type CreatedService,
  type RegisteredHost,
  SCHEDULING,
  SHARED_POOL_ENVIRONMENT_ID,
  type ServiceView,
} from '@caas/contracts';
import { eventually } from '@caas/testing';
import { createTestTenant, platformAdmin } from '../testing/scheduling-test-kit';
import { schedulingSuite } from '../testing/scheduling-suite';

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
  const suite = schedulingSuite();

  it('refuses invalid payloads naming the fields, viewers, unknown environments and quota overruns', async () => {
    const invalid = await suite.sut.client.expectRefused(
      SCHEDULING.createService,
      service(suite.tenant.environmentId, { name: 'Web!', replicas: -1, capAdd: ['SYS_ADMIN'] }),
      suite.tenant.as('developer'),
      'validation',
    );
    expect(invalid.extra.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name' }),
        expect.objectContaining({ field: 'replicas' }),
        expect.objectContaining({ field: 'capAdd', rule: 'forbidden' }),
      ]),
    );
    await suite.sut.client.expectRefused(
      SCHEDULING.createService,
      service(suite.tenant.environmentId),
      suite.tenant.as('viewer'),
      'forbidden',
    );
    const other = await createTestTenant(suite.sut.client);
    await suite.sut.client.expectRefused(
      SCHEDULING.createService,
      service(other.environmentId),
      suite.tenant.as('developer'),
      'not_found',
    );
    const overQuota = await suite.sut.client.expectRefused(
      SCHEDULING.createService,
      service(suite.tenant.environmentId, { replicas: 3 }),
      suite.tenant.as('developer'),
      'quota_exceeded',
    );
    expect(overQuota.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 0, requested: 3 });
    expect(await suite.call(SCHEDULING.listServices, {}, suite.tenant.as('viewer'))).toEqual([]);
  });

  it('creates, scales within the quota, updates, and keeps another tenant out', async () => {
    const { serviceId } = await suite.call<CreatedService>(
      SCHEDULING.createService,
      service(suite.tenant.environmentId),
    );
    expect(
      await suite.call<ServiceView>(SCHEDULING.getService, { serviceId }, suite.tenant.as('viewer')),
    ).toMatchObject({
      serviceId,
      name: 'web',
      replicas: { desired: 1 },
      revision: 1,
    });
    await suite.sut.client.expectRefused(
      SCHEDULING.createService,
      service(suite.tenant.environmentId, { replicas: 0 }),
      suite.tenant.as('developer'),
      'conflict',
    );

    const scaled = await suite.sut.client.expectRefused(
      SCHEDULING.scaleService,
      { serviceId, replicas: 3 },
      suite.tenant.as('developer'),
      'quota_exceeded',
    );
    expect(scaled.extra.details).toMatchObject({ limit: 'maxContainers', inUse: 1, requested: 2 });
    expect(await suite.call<ServiceView>(SCHEDULING.scaleService, { serviceId, replicas: 2 })).toMatchObject({
      replicas: { desired: 2 },
    });
    // 2 × 0.75 vCPU would pass maxVcpu 1; 2 × 0.5 is exactly it.
    const bigger = await suite.sut.client.expectRefused(
      SCHEDULING.updateService,
      { serviceId, resources: { cpus: 0.75, memoryMb: 128 } },
      suite.tenant.as('developer'),
      'quota_exceeded',
    );
    expect(bigger.extra.details).toEqual({ limit: 'maxVcpu', allowed: 1, inUse: 0.5, requested: 1 });
    expect(
      await suite.call<ServiceView>(SCHEDULING.updateService, { serviceId, resources: { cpus: 0.5, memoryMb: 128 } }),
    ).toMatchObject({ revision: 2 });

    const other = await createTestTenant(suite.sut.client);
    suite.tenantIds.push(other.tenantId);
    await suite.sut.client.expectRefused(SCHEDULING.getService, { serviceId }, other.as('owner'), 'not_found');
    await suite.sut.client.expectRefused(
      SCHEDULING.scaleService,
      { serviceId, replicas: 0 },
      other.as('owner'),
      'not_found',
    );

    expect(await suite.call(SCHEDULING.scaleService, { serviceId, replicas: 0 })).toMatchObject({
      replicas: { desired: 0 },
    });
    expect(await suite.call(SCHEDULING.removeService, { serviceId })).toEqual({ serviceId });
    await suite.sut.client.expectRefused(SCHEDULING.getService, { serviceId }, suite.tenant.as('viewer'), 'not_found');
  });

  it("refuses to stop or remove a service's replica directly", async () => {
    const { hostId } = await suite.sut.client.call<RegisteredHost>(
      SCHEDULING.registerHost,
      { endpoint: suite.endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID },
      platformAdmin(),
    );
    suite.hostIds.push(hostId);
    const { serviceId } = await suite.call<CreatedService>(
      SCHEDULING.createService,
      service(suite.tenant.environmentId, { name: 'api' }),
    );
    // The reconciler places the replica.
    const [replica] = await eventually(
      () => suite.call<ContainerView[]>(SCHEDULING.listContainers, { serviceId }, suite.tenant.as('viewer')),
      (replicas) => replicas.length === 1,
      { timeoutMs: 20_000 },
    );
    expect(replica).toMatchObject({ serviceId, replica: expect.any(Number) });
    for (const pattern of [SCHEDULING.stopContainer, SCHEDULING.removeContainer]) {
      const error = await suite.sut.client.expectRefused(
        pattern,
        { containerId: replica!.containerId },
        suite.tenant.as('developer'),
        'conflict',
      );
      expect(error.message).toContain(`replica ${replica!.replica} of service ${serviceId}`);
    }
    await suite.call(SCHEDULING.removeService, { serviceId });
  });
});
