import { randomUUID } from 'node:crypto';
import { type ApiKeyView, type EnvironmentView, type InvitationView, TENANCY, type TenantView } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import {
  PASSWORD,
  TEST_DATABASE_URL,
  type TenancyUnderTest,
  createTenant,
  signUp,
  startTenancyForTest,
  uniqueEmail,
  uniqueName,
  userMeta,
} from '../testing/tenancy-test-kit';

/*
 * A request whose answer was lost (tenancy died after appending) is sent again by the
 * gateway with the same command id (RequestMeta.commandId, from the Idempotency-Key):
 * it must answer what the first attempt did — same ids — and record nothing twice.
 * Here the first attempt's answer is simply ignored.
 */

const retried = (meta: RequestMeta): RequestMeta => ({ ...meta, commandId: `cmd-${randomUUID()}` });

describe('tenancy over NATS: a command retried under its command id', () => {
  let tenancy: TenancyUnderTest;
  let store: PostgresEventStore;
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
    store = await PostgresEventStore.connect({ connectionString: TEST_DATABASE_URL });
  });
  afterAll(async () => {
    await tenancy?.close();
    await store?.close();
  });

  it('signs up once', async () => {
    const { client } = tenancy;
    const email = uniqueEmail('retried');
    const meta = retried(userMeta('anonymous'));
    const payload = { email, name: 'Retried', password: PASSWORD };
    const first = await client.call<{ userId: string }>(TENANCY.signUp, payload, meta);
    expect(await client.call(TENANCY.signUp, payload, { ...meta, correlationId: randomUUID() })).toEqual(first);
    // Another request for the address is refused as before.
    await client.expectRefused(TENANCY.signUp, payload, retried(userMeta('anonymous')), 'conflict');
  });

  it('creates one tenant, one environment, one invitation; deletes without a not-found', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const createTenantMeta = retried(userMeta(owner.userId));
    const payload = { name: uniqueName('Acme') };
    const { tenantId } = await client.call<{ tenantId: string }>(TENANCY.createTenant, payload, createTenantMeta);
    expect(await client.call(TENANCY.createTenant, payload, createTenantMeta)).toEqual({ tenantId });
    const mine = await client.call<TenantView[]>(TENANCY.listMyTenants, {}, userMeta(owner.userId));
    expect(mine.map((tenant) => tenant.tenantId)).toEqual([tenantId]);

    const asOwner = userMeta(owner.userId, tenantId);
    const createEnv = retried(asOwner);
    const created = await client.call<{ environmentId: string }>(
      TENANCY.createEnvironment,
      { name: 'prod' },
      createEnv,
    );
    // Decided again, this would be refused: the name is taken (by the first attempt).
    expect(await client.call(TENANCY.createEnvironment, { name: 'prod' }, createEnv)).toEqual(created);
    await client.expectRefused(TENANCY.createEnvironment, { name: 'prod' }, retried(asOwner), 'conflict');
    expect(await client.call<EnvironmentView[]>(TENANCY.listEnvironments, {}, asOwner)).toEqual([
      { environmentId: created.environmentId, name: 'prod', createdAt: expect.any(String) },
    ]);
    const events = await collect(store.readStream(`tenant-${tenantId}`));
    expect(events.filter((event) => event.type === 'EnvironmentCreated')).toHaveLength(1);
    expect(events.every((event) => !('commandId' in (event.metadata as object)))).toBe(true);

    const deleteEnv = retried(asOwner);
    await client.call(TENANCY.deleteEnvironment, created, deleteEnv);
    expect(await client.call(TENANCY.deleteEnvironment, created, deleteEnv)).toEqual(created);
    await client.expectRefused(TENANCY.deleteEnvironment, created, retried(asOwner), 'not_found');

    const invite = retried(asOwner);
    const invitation = { email: uniqueEmail('invitee'), role: 'developer' };
    const { invitationId } = await client.call<{ invitationId: string }>(TENANCY.inviteMember, invitation, invite);
    expect(await client.call(TENANCY.inviteMember, invitation, invite)).toEqual({ invitationId });
    const pending = await client.call<InvitationView[]>(TENANCY.listInvitations, {}, asOwner);
    expect(pending.map((i) => i.invitationId)).toEqual([invitationId]);
  });

  it('refuses to answer an API key twice: its secret was shown (or lost) the first time', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const asOwner = userMeta(owner.userId, tenantId);
    const create = retried(asOwner);
    const payload = { name: 'ci', role: 'developer' };
    const { keyId } = await client.call<{ keyId: string }>(TENANCY.createApiKey, payload, create);
    const again = await client.expectRefused(TENANCY.createApiKey, payload, create, 'conflict');
    expect(again.message).toContain(keyId);
    const keys = await client.call<ApiKeyView[]>(TENANCY.listApiKeys, {}, asOwner);
    expect(keys.map((key) => key.keyId)).toEqual([keyId]);
  });
});
