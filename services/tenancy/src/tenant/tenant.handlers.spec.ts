import { TENANCY, type TenantView } from '@caas/contracts';
import {
  type TenancyUnderTest,
  type TestUser,
  addMember,
  createTenant,
  signUp,
  startTenancyForTest,
  uniqueName,
  userMeta,
} from '../testing/tenancy-test-kit';

describe('tenancy over NATS: tenant lifecycle', () => {
  let tenancy: TenancyUnderTest;
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  const platformAdmin = (tenantId: string | null) => userMeta('staff-admin', tenantId, ['platform-admin']);
  const finance = (tenantId: string | null) => userMeta('staff-finance', tenantId, ['finance']);

  it('create → get → rename → suspend → resume → delete', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const name = uniqueName('Acme');
    const { tenantId } = await client.call<{ tenantId: string }>(
      TENANCY.createTenant,
      { name },
      userMeta(owner.userId),
    );
    const asOwner = userMeta(owner.userId, tenantId);

    // Read-your-writes: the very next query sees the new tenant.
    expect(await client.call<TenantView>(TENANCY.getTenant, {}, asOwner)).toEqual({
      tenantId,
      name,
      status: 'active',
      planId: 'free',
      createdAt: expect.any(String),
      role: 'owner',
    });
    const mine = await client.call<TenantView[]>(TENANCY.listMyTenants, {}, userMeta(owner.userId));
    expect(mine).toEqual([expect.objectContaining({ tenantId, role: 'owner' })]);

    await client.call(TENANCY.renameTenant, { name: `${name} Inc` }, asOwner);
    expect((await client.call<TenantView>(TENANCY.getTenant, {}, asOwner)).name).toBe(`${name} Inc`);

    await client.expectRefused(TENANCY.suspendTenant, { reason: 'self-suspension' }, asOwner, 'forbidden');
    await client.call(TENANCY.suspendTenant, { reason: 'payment overdue' }, platformAdmin(tenantId));
    expect((await client.call<TenantView>(TENANCY.getTenant, {}, asOwner)).status).toBe('suspended');
    // Suspended: reads work, changes other than resume/delete are refused with conflict.
    await client.expectRefused(TENANCY.renameTenant, { name: 'Renamed' }, asOwner, 'conflict');
    await client.expectRefused(TENANCY.createEnvironment, { name: 'staging' }, asOwner, 'conflict');

    await client.call(TENANCY.resumeTenant, {}, platformAdmin(tenantId));
    expect((await client.call<TenantView>(TENANCY.getTenant, {}, asOwner)).status).toBe('active');

    await client.call(TENANCY.deleteTenant, {}, asOwner);
    await client.expectRefused(TENANCY.getTenant, {}, asOwner, 'not_found');
    await client.expectRefused(TENANCY.renameTenant, { name: 'Ghost' }, asOwner, 'not_found');
    await client.expectRefused(TENANCY.listMembers, {}, asOwner, 'not_found');
    await client.expectRefused(TENANCY.deleteTenant, {}, asOwner, 'not_found');
    expect(await client.call<TenantView[]>(TENANCY.listMyTenants, {}, userMeta(owner.userId))).toEqual([]);
  });

  it('only the owner deletes; an admin is forbidden', async () => {
    const { client } = tenancy;
    const [owner, admin] = [await signUp(client, 'owner'), await signUp(client, 'admin')];
    const tenantId = await createTenant(client, owner);
    await addMember(client, tenantId, owner, admin, 'admin');
    await client.expectRefused(TENANCY.deleteTenant, {}, userMeta(admin.userId, tenantId), 'forbidden');
  });

  it('platform staff list every tenant; members may not', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    await client.expectRefused(TENANCY.listAllTenants, {}, userMeta(owner.userId), 'forbidden');
    for (const staff of [platformAdmin(null), finance(null)]) {
      const all = await client.call<TenantView[]>(TENANCY.listAllTenants, {}, staff);
      expect(all).toEqual(
        expect.arrayContaining([expect.objectContaining({ tenantId, status: 'active', planId: 'free' })]),
      );
    }
    // Staff may read a tenant they are no member of, without a role in it.
    const seen = await client.call<TenantView>(TENANCY.getTenant, {}, finance(tenantId));
    expect(seen.tenantId).toBe(tenantId);
    expect(seen.role).toBeUndefined();
  });

  it('a tenant is not found for a non-member, whatever id the caller puts in scope', async () => {
    const { client } = tenancy;
    const [alice, mallory] = [await signUp(client, 'alice'), await signUp(client, 'mallory')];
    const tenantId = await createTenant(client, alice);
    const asMallory = userMeta(mallory.userId, tenantId);
    await client.expectRefused(TENANCY.getTenant, {}, asMallory, 'not_found');
    await client.expectRefused(TENANCY.renameTenant, { name: 'Pwned' }, asMallory, 'not_found');
    await client.expectRefused(TENANCY.membership, { tenantId }, userMeta(mallory.userId), 'not_found');
    await client.expectRefused(TENANCY.getTenant, {}, userMeta(mallory.userId, 'not-a-uuid'), 'not_found');
  });

  it('refuses an unknown plan, and a tenant-scoped call without a tenant', async () => {
    const { client } = tenancy;
    const owner: TestUser = await signUp(client, 'owner');
    const error = await client.expectRefused(
      TENANCY.createTenant,
      { name: 'Planless', planId: 'platinum' },
      userMeta(owner.userId),
      'validation',
    );
    expect(error.extra.violations).toEqual([expect.objectContaining({ field: 'planId' })]);
    await client.expectRefused(TENANCY.renameTenant, { name: 'Nowhere' }, userMeta(owner.userId), 'validation');
  });
});
