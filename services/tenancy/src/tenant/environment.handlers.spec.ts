import { type EnvironmentView, TENANCY } from '@caas/contracts';
import {
  type TenancyUnderTest,
  addMember,
  createTenant,
  signUp,
  startTenancyForTest,
  userMeta,
} from '../testing/tenancy-test-kit';

describe('tenancy over NATS: environments', () => {
  let tenancy: TenancyUnderTest;
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  it('creates, lists and deletes; names are unique in a tenant, not across tenants', async () => {
    const { client } = tenancy;
    const [ownerA, ownerB] = [await signUp(client, 'owner-a'), await signUp(client, 'owner-b')];
    const [tenantA, tenantB] = [await createTenant(client, ownerA), await createTenant(client, ownerB)];
    const [asA, asB] = [userMeta(ownerA.userId, tenantA), userMeta(ownerB.userId, tenantB)];

    const { environmentId } = await client.call<{ environmentId: string }>(
      TENANCY.createEnvironment,
      { name: 'production' },
      asA,
    );
    await client.call(TENANCY.createEnvironment, { name: 'staging' }, asA);
    await client.call(TENANCY.createEnvironment, { name: 'production' }, asB);
    const error = await client.expectRefused(TENANCY.createEnvironment, { name: 'production' }, asA, 'conflict');
    expect(error.message).toContain('production');

    expect(await client.call<EnvironmentView[]>(TENANCY.listEnvironments, {}, asA)).toEqual([
      { environmentId, name: 'production', createdAt: expect.any(String) },
      { environmentId: expect.any(String), name: 'staging', createdAt: expect.any(String) },
    ]);
    await client.call(TENANCY.deleteEnvironment, { environmentId }, asA);
    expect((await client.call<EnvironmentView[]>(TENANCY.listEnvironments, {}, asA)).map((e) => e.name)).toEqual([
      'staging',
    ]);
  });

  it("tenant B's admin cannot delete tenant A's environment, nor see it", async () => {
    const { client } = tenancy;
    const [ownerA, ownerB, adminB] = [
      await signUp(client, 'owner-a'),
      await signUp(client, 'owner-b'),
      await signUp(client, 'admin-b'),
    ];
    const [tenantA, tenantB] = [await createTenant(client, ownerA), await createTenant(client, ownerB)];
    await addMember(client, tenantB, ownerB, adminB, 'admin');
    const asA = userMeta(ownerA.userId, tenantA);
    const { environmentId } = await client.call<{ environmentId: string }>(
      TENANCY.createEnvironment,
      { name: 'prod' },
      asA,
    );

    await client.expectRefused(
      TENANCY.deleteEnvironment,
      { environmentId },
      userMeta(adminB.userId, tenantB),
      'not_found',
    );
    await client.expectRefused(
      TENANCY.deleteEnvironment,
      { environmentId },
      userMeta(adminB.userId, tenantA),
      'not_found',
    );
    await client.expectRefused(TENANCY.listEnvironments, {}, userMeta(adminB.userId, tenantA), 'not_found');
    expect(
      await client.call<EnvironmentView[]>(TENANCY.listEnvironments, {}, userMeta(adminB.userId, tenantB)),
    ).toEqual([]);
    expect(await client.call<EnvironmentView[]>(TENANCY.listEnvironments, {}, asA)).toHaveLength(1);
  });
});
