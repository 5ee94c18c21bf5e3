import { randomUUID } from 'node:crypto';
import { type CaasError, type EventMetadata, SYSTEM_ACTOR } from '@caas/contracts';
import { PostgresEventStore } from '@caas/event-store';
import { TEST_DATABASE_URL, uniqueEmail } from '../testing/tenancy-test-kit';
import { claimEmail, claimantOf } from './email-claim';
import { registerUser } from './user-registration';

describe('e-mail claims (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  const metadata: EventMetadata = {
    schemaVersion: 1,
    tenantId: null,
    actor: SYSTEM_ACTOR,
    correlationId: randomUUID(),
    causationId: 'test',
  };
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: TEST_DATABASE_URL });
  });
  afterAll(() => store?.close());

  it('one address, one claimant, whatever the spelling', async () => {
    const email = uniqueEmail('claim');
    const first = randomUUID();
    await claimEmail(store, { email, userId: first, metadata });
    const error = await claimEmail(store, { email: ` ${email.toUpperCase()} `, userId: randomUUID(), metadata }).catch(
      (e: CaasError) => e,
    );
    expect(error).toMatchObject({ code: 'conflict' });
    expect((await claimantOf(store, email))?.userId).toBe(first);
  });

  it('a claim whose account never appeared can be taken over once it is old enough', async () => {
    const email = uniqueEmail('abandoned');
    await claimEmail(store, { email, userId: randomUUID(), metadata });
    // Fresh: still protected.
    await expect(claimEmail(store, { email, userId: randomUUID(), metadata })).rejects.toMatchObject({
      code: 'conflict',
    });
    const taker = randomUUID();
    await claimEmail(store, { email, userId: taker, metadata, abandonedAfterMs: 0 });
    expect((await claimantOf(store, email))?.userId).toBe(taker);
  });

  it('a claim whose account exists is never taken over, however old', async () => {
    const email = uniqueEmail('owned');
    const userId = randomUUID();
    const context = { tenantId: null, actor: SYSTEM_ACTOR, correlationId: randomUUID(), causationId: 'test' };
    await registerUser(store, { userId, email, name: 'Owner', passwordHash: 'scrypt$unused' }, context);
    await expect(
      claimEmail(store, { email, userId: randomUUID(), metadata, abandonedAfterMs: 0 }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await claimantOf(store, email))?.userId).toBe(userId);
  });
});
