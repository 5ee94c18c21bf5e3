import { type AuthenticatedUser, TENANCY, type UserPlatformRolesView } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import {
  PASSWORD,
  TEST_DATABASE_URL,
  type TenancyUnderTest,
  apiKeyMeta,
  createTenant,
  signUp,
  startTenancyForTest,
  uniqueEmail,
  userMeta,
} from '../testing/tenancy-test-kit';
import { userStream } from './user.events';

describe('tenancy over NATS: granting platform roles', () => {
  let tenancy: TenancyUnderTest;
  let store: PostgresEventStore;
  /** The gateway puts a platform admin's roles in the headers; tenancy trusts only those. */
  const platformAdmin = userMeta('platform-admin-user', null, ['platform-admin']);

  beforeAll(async () => {
    tenancy = await startTenancyForTest();
    store = await PostgresEventStore.connect({ connectionString: TEST_DATABASE_URL });
  });
  afterAll(async () => {
    await tenancy?.close();
    await store?.close();
  });

  const grantsRecorded = async (userId: string) =>
    (await collect(store.readStream(userStream(userId)))).filter((event) => event.type === 'PlatformRoleGranted');

  it('given a platform admin, when it grants finance by e-mail, then the answer and the next login carry it', async () => {
    const { client } = tenancy;
    const user = await signUp(client, 'Finn');

    const answer = await client.call<UserPlatformRolesView>(
      TENANCY.grantPlatformRole,
      { email: user.email.toUpperCase(), role: 'finance' },
      platformAdmin,
    );

    expect(answer).toEqual({ userId: user.userId, email: user.email.toLowerCase(), platformRoles: ['finance'] });
    const login = await client.call<AuthenticatedUser>(
      TENANCY.verifyPassword,
      { email: user.email, password: PASSWORD },
      userMeta('anonymous'),
    );
    expect(login.platformRoles).toEqual(['finance']);
  });

  it('given a role already held, when it is granted again, then nothing is recorded and the answer is the same', async () => {
    const { client } = tenancy;
    const user = await signUp(client, 'twice');
    const grant = { email: user.email, role: 'platform-admin' };
    const first = await client.call<UserPlatformRolesView>(TENANCY.grantPlatformRole, grant, platformAdmin);

    const again = await client.call<UserPlatformRolesView>(TENANCY.grantPlatformRole, grant, platformAdmin);

    expect(again).toEqual(first);
    expect(again.platformRoles).toEqual(['platform-admin']);
    expect(await grantsRecorded(user.userId)).toHaveLength(1);
  });

  it('given a second role, when it is granted, then the user holds both', async () => {
    const { client } = tenancy;
    const user = await signUp(client, 'both');
    await client.call(TENANCY.grantPlatformRole, { email: user.email, role: 'finance' }, platformAdmin);

    const answer = await client.call<UserPlatformRolesView>(
      TENANCY.grantPlatformRole,
      { email: user.email, role: 'platform-admin' },
      platformAdmin,
    );

    expect(answer.platformRoles).toEqual(['finance', 'platform-admin']);
  });

  it('given a caller who is not a platform admin, when it grants, then 403 and nothing is recorded', async () => {
    const { client } = tenancy;
    const user = await signUp(client, 'target');
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const grant = { email: user.email, role: 'platform-admin' };
    const callers = [
      userMeta(user.userId),
      userMeta(user.userId, null, ['finance']),
      // A tenant owner is no one on the platform.
      userMeta(owner.userId, tenantId, ['owner']),
      apiKeyMeta('some-key', tenantId, 'owner'),
    ];

    for (const caller of callers) {
      const error = await client.expectRefused(TENANCY.grantPlatformRole, grant, caller, 'forbidden');
      expect(error.message).toContain('platform admin');
    }
    expect(await grantsRecorded(user.userId)).toEqual([]);
  });

  it('given an e-mail nobody signed up with, then 404 naming email', async () => {
    const email = uniqueEmail('nobody');
    const error = await tenancy.client.expectRefused(
      TENANCY.grantPlatformRole,
      { email, role: 'finance' },
      platformAdmin,
      'not_found',
    );
    expect(error.message).toContain(email);
    expect(error.extra.details).toEqual({ field: 'email', email });
  });

  it('given a role that is not a platform role, then 400 naming role', async () => {
    const user = await signUp(tenancy.client, 'badrole');
    for (const role of ['owner', 'root', '']) {
      const error = await tenancy.client.expectRefused(
        TENANCY.grantPlatformRole,
        { email: user.email, role },
        platformAdmin,
        'validation',
      );
      expect(error.extra.violations?.map((violation) => violation.field)).toEqual(['role']);
    }
    expect(await grantsRecorded(user.userId)).toEqual([]);
  });
});
