import {
  type ContainerView,
  type CreatedContainer,
  type RegisteredHost,
  CaasError,
  SCHEDULING,
  SHARED_POOL_ENVIRONMENT_ID,
  TENANCY,
} from '@caas/contracts';
import { eventually } from '@caas/testing';
import { containerPayload, createTestTenant, platformAdmin } from '../testing/scheduling-test-kit';
import { schedulingSuite } from '../testing/scheduling-suite';

// The service in-process on its own database and nats-server, a real tenancy beside it
// (plans, environments), and one real Docker engine registered as a host mid-way.
describe('scheduling over NATS: containers', () => {
  const suite = schedulingSuite();

  it('refuses an invalid payload naming each field, and a Docker option that would give it the host', async () => {
    const error = await suite.sut.client.expectRefused(
      SCHEDULING.createContainer,
      { environmentId: 'prod', image: 'Not An Image', resources: { cpus: 0, memoryMb: 1 } },
      suite.tenant.as('developer'),
      'validation',
    );
    const fields = error.extra.violations!.map((violation) => violation.field);
    expect(fields).toEqual(expect.arrayContaining(['environmentId', 'image', 'resources.cpus', 'resources.memoryMb']));

    const privileged = await suite.sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(suite.tenant.environmentId, { privileged: true }),
      suite.tenant.as('developer'),
      'validation',
    );
    expect(privileged.extra.violations).toEqual([expect.objectContaining({ field: 'privileged', rule: 'forbidden' })]);
  });

  it('lets viewers read but not create, and checks the environment is the tenant’s', async () => {
    await suite.sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(suite.tenant.environmentId),
      suite.tenant.as('viewer'),
      'forbidden',
    );
    expect(await suite.call(SCHEDULING.listContainers, {}, suite.tenant.as('viewer'))).toEqual([]);

    const other = await createTestTenant(suite.sut.client);
    const error = await suite.sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(other.environmentId),
      suite.tenant.as('developer'),
      'not_found',
    );
    expect(error.message).toContain('environmentId');
  });

  it('names the placement constraint when no host can take the container', async () => {
    const error = await suite.sut.client.expectRefused(
      SCHEDULING.createContainer,
      containerPayload(suite.tenant.environmentId),
      suite.tenant.as('developer'),
      'conflict',
    );
    expect(error.extra.details).toEqual({ constraint: 'no-hosts', reason: expect.any(String) });
    expect(error.message).toContain('no-hosts');
  });

  describe('with a host', () => {
    let containerId: string;

    beforeAll(async () => {
      const { hostId } = await suite.sut.client.call<RegisteredHost>(
        SCHEDULING.registerHost,
        { endpoint: suite.endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID },
        platformAdmin(),
      );
      suite.hostIds.push(hostId);
    });

    it('places a container and shows it to its tenant only', async () => {
      ({ containerId } = await suite.call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(suite.tenant.environmentId),
      ));
      const view = await suite.call<ContainerView>(SCHEDULING.getContainer, { containerId }, suite.tenant.as('viewer'));
      expect(view).toMatchObject({
        containerId,
        environmentId: suite.tenant.environmentId,
        serviceId: null,
        hostId: suite.hostIds[0],
        image: 'caas/busybox:1',
        resources: { cpus: 0.1, memoryMb: 64 },
      });

      const other = await createTestTenant(suite.sut.client);
      suite.tenantIds.push(other.tenantId);
      for (const pattern of [SCHEDULING.getContainer, SCHEDULING.stopContainer, SCHEDULING.removeContainer]) {
        await suite.sut.client.expectRefused(pattern, { containerId }, other.as('owner'), 'not_found');
      }
      expect(await suite.call(SCHEDULING.listContainers, {}, other.as('owner'))).toEqual([]);
    });

    it('refuses the third container of the free plan (maxContainers 2), recording nothing', async () => {
      await suite.call<CreatedContainer>(SCHEDULING.createContainer, containerPayload(suite.tenant.environmentId));
      const error = await suite.sut.client.expectRefused(
        SCHEDULING.createContainer,
        containerPayload(suite.tenant.environmentId),
        suite.tenant.as('developer'),
        'quota_exceeded',
      );
      expect(error.message).toContain('maxContainers');
      expect(error.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 2, requested: 1 });
      expect(await suite.call<ContainerView[]>(SCHEDULING.listContainers, {})).toHaveLength(2);
      const inCluster = [...suite.sut.scheduling.cluster.containers.values()].filter(
        ({ state }) => state.tenantId === suite.tenant.tenantId,
      );
      expect(inCluster).toHaveLength(2);
    });

    it('holds a tenant to its plan as it changes: an upgrade at once, a downgrade once tenancy publishes it', async () => {
      // One caller throughout, so scheduling's remembered plan (per tenant and caller) is in play.
      const other = await createTestTenant(suite.sut.client);
      suite.tenantIds.push(other.tenantId);
      const owner = other.as('owner');
      const create = () =>
        suite.sut.client.call<CreatedContainer>(
          SCHEDULING.createContainer,
          containerPayload(other.environmentId),
          owner,
        );
      await create();
      await create();
      await suite.sut.client.expectRefused(
        SCHEDULING.createContainer,
        containerPayload(other.environmentId),
        owner,
        'quota_exceeded',
      );
      await suite.sut.client.call(TENANCY.changePlan, { planId: 'pro' }, owner);
      await create();

      await suite.sut.client.call(TENANCY.changePlan, { planId: 'free' }, owner);
      // A create that comes before tenancy's PlanChanged reaches scheduling may still pass
      // (pro allows 20); one soon after it is refused by the free plan's limit of 2.
      const refusal = await eventually(
        () =>
          create().then(
            () => undefined,
            (error: unknown) => error,
          ),
        (error) => error !== undefined,
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      expect(refusal).toMatchObject({
        code: 'quota_exceeded',
        extra: { details: { limit: 'maxContainers', allowed: 2 } },
      });
      const { inUse } = (refusal as CaasError).extra.details as { inUse: number };
      expect(inUse).toBeLessThanOrEqual(5);
    });

    it('stops, starts and removes; a removed container frees its quota', async () => {
      expect(
        await suite.call<ContainerView>(SCHEDULING.stopContainer, { containerId, timeoutSeconds: 1 }),
      ).toMatchObject({
        containerId,
      });
      expect(suite.sut.scheduling.cluster.container(containerId)).toMatchObject({ desired: 'stopped' });
      await suite.call<ContainerView>(SCHEDULING.startContainer, { containerId });
      expect(suite.sut.scheduling.cluster.container(containerId)).toMatchObject({ desired: 'running' });
      expect(await suite.call(SCHEDULING.removeContainer, { containerId })).toEqual({ containerId });
      await suite.sut.client.expectRefused(
        SCHEDULING.startContainer,
        { containerId },
        suite.tenant.as('developer'),
        'not_found',
      );
      await suite.call<CreatedContainer>(SCHEDULING.createContainer, containerPayload(suite.tenant.environmentId));
    });

    it('answers a retried create (same command id) once, with the same container', async () => {
      const other = await createTestTenant(suite.sut.client);
      suite.tenantIds.push(other.tenantId);
      const retried = { ...other.as('developer'), commandId: 'retry-1' };
      const first = await suite.sut.client.call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(other.environmentId),
        retried,
      );
      const second = await suite.sut.client.call<CreatedContainer>(
        SCHEDULING.createContainer,
        containerPayload(other.environmentId),
        retried,
      );
      expect(second).toEqual(first);
      expect(await suite.call<ContainerView[]>(SCHEDULING.listContainers, {}, other.as('viewer'))).toHaveLength(1);
    });
  });
});
