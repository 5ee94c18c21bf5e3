import { type PlanView, TENANCY, type TenantView } from '@caas/contracts';
import {
  type TenancyUnderTest,
  addMember,
  createTenant,
  signUp,
  startTenancyForTest,
  userMeta,
} from '../testing/tenancy-test-kit';

const FREE = {
  maxContainers: 2,
  maxVcpu: 1,
  maxMemoryMb: 1024,
  maxVolumeGb: 5,
  maxConcurrentBuilds: 1,
  maxImageStorageMb: 50,
};

describe('tenancy over NATS: plans and quotas', () => {
  let tenancy: TenancyUnderTest;
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  it('lists the seeded plans', async () => {
    const plans = await tenancy.client.call<PlanView[]>(TENANCY.listPlans, {}, userMeta('anyone'));
    expect(plans).toEqual(
      expect.arrayContaining([
        { planId: 'free', name: 'Free', quotas: FREE },
        {
          planId: 'pro',
          name: 'Pro',
          quotas: {
            maxContainers: 20,
            maxVcpu: 8,
            maxMemoryMb: 16384,
            maxVolumeGb: 100,
            maxConcurrentBuilds: 4,
            maxImageStorageMb: 10_240,
          },
        },
        {
          planId: 'enterprise',
          name: 'Enterprise',
          quotas: {
            maxContainers: 200,
            maxVcpu: 64,
            maxMemoryMb: 262144,
            maxVolumeGb: 2000,
            maxConcurrentBuilds: 20,
            maxImageStorageMb: 204_800,
          },
        },
      ]),
    );
  });

  it('a new tenant has the free quotas (maxContainers 2)', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const quotas = await client.call<PlanView>(TENANCY.getQuotas, {}, userMeta(owner.userId, tenantId));
    expect(quotas).toEqual({ planId: 'free', name: 'Free', quotas: FREE });
    expect(quotas.quotas.maxContainers).toBe(2);
  });

  it('a plan change with a future effectiveAt is not in force yet; one effective now is', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const asOwner = userMeta(owner.userId, tenantId);
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();

    const scheduled = await client.call(TENANCY.changePlan, { planId: 'pro', effectiveAt: tomorrow }, asOwner);
    expect(scheduled).toEqual({ tenantId, planId: 'pro', effectiveAt: tomorrow });
    expect((await client.call<PlanView>(TENANCY.getQuotas, {}, asOwner)).quotas.maxContainers).toBe(2);
    expect((await client.call<TenantView>(TENANCY.getTenant, {}, asOwner)).planId).toBe('free');

    await client.call(TENANCY.changePlan, { planId: 'enterprise' }, asOwner);
    expect(await client.call<PlanView>(TENANCY.getQuotas, {}, asOwner)).toMatchObject({
      planId: 'enterprise',
      quotas: { maxContainers: 200 },
    });
  });

  it('owners and platform admins change plans; admins may not; strangers see nothing', async () => {
    const { client } = tenancy;
    const [owner, admin, stranger] = [
      await signUp(client, 'owner'),
      await signUp(client, 'admin'),
      await signUp(client, 'stranger'),
    ];
    const tenantId = await createTenant(client, owner);
    await addMember(client, tenantId, owner, admin, 'admin');

    await client.expectRefused(TENANCY.changePlan, { planId: 'pro' }, userMeta(admin.userId, tenantId), 'forbidden');
    await client.expectRefused(TENANCY.changePlan, { planId: 'gold' }, userMeta(owner.userId, tenantId), 'validation');
    await client.expectRefused(TENANCY.getQuotas, {}, userMeta(stranger.userId, tenantId), 'not_found');

    const platformAdmin = userMeta('staff', tenantId, ['platform-admin']);
    await client.call(TENANCY.changePlan, { planId: 'pro' }, platformAdmin);
    expect((await client.call<PlanView>(TENANCY.getQuotas, {}, platformAdmin)).planId).toBe('pro');
  });
});
