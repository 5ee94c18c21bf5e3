import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import { PASSWORD, TEST_DATABASE_URL, uniqueEmail } from '../testing/tenancy-test-kit';
import { seedBootstrapAdmin } from './bootstrap-admin';
import { claimantOf } from './email-claim';
import { authenticateByPassword } from './password-authentication';
import { PasswordHasher } from './password-hashing';
import { userStream } from './user.events';
import { registerUser } from './user-registration';

describe('seedBootstrapAdmin (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: TEST_DATABASE_URL });
  });
  afterAll(() => store?.close());

  it('creates one platform admin however often and however concurrently it runs', async () => {
    const email = uniqueEmail('admin');
    const admin = { email, password: PASSWORD };
    const ids = await Promise.all(Array.from({ length: 3 }, () => seedBootstrapAdmin(store, hasher, admin)));
    const again = await seedBootstrapAdmin(store, hasher, { email, password: 'a different password now' });
    expect(new Set([...ids, again]).size).toBe(1);

    const user = await authenticateByPassword(store, hasher, email, PASSWORD);
    expect(user).toEqual({ userId: again, email, platformRoles: ['platform-admin'] });
    const events = await collect(store.readStream(userStream(again!)));
    expect(events.map((e) => e.type)).toEqual(['UserSignedUp', 'PlatformRoleGranted']);
  });

  it('never promotes an account somebody else signed up with that address', async () => {
    const email = uniqueEmail('squatter');
    const userId = randomUUID();
    const context = { tenantId: null, actor: SYSTEM_ACTOR, correlationId: randomUUID(), causationId: 'test' };
    await registerUser(store, { userId, email, name: 'Squatter', passwordHash: await hasher.hash(PASSWORD) }, context);
    const warnings: string[] = [];

    expect(
      await seedBootstrapAdmin(store, hasher, { email, password: PASSWORD }, (m) => warnings.push(m)),
    ).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(email)]);
    expect((await authenticateByPassword(store, hasher, email, PASSWORD)).platformRoles).toEqual([]);
    expect((await claimantOf(store, email))?.userId).toBe(userId);
  });
});
