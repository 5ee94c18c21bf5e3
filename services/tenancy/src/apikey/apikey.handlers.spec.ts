import { type ApiKeyView, type AuthenticatedApiKey, type CreatedApiKey, TENANCY } from '@caas/contracts';
import {
  type TenancyUnderTest,
  addMember,
  apiKeyMeta,
  createTenant,
  signUp,
  startTenancyForTest,
  userMeta,
} from '../testing/tenancy-test-kit';

describe('tenancy over NATS: API keys', () => {
  let tenancy: TenancyUnderTest;
  const gateway = userMeta('gateway');
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  it('create → verify → list (no secret) → revoke → verify refused', async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const asOwner = userMeta(owner.userId, tenantId);

    const created = await client.call<CreatedApiKey>(
      TENANCY.createApiKey,
      { name: 'ci-deployer', role: 'developer' },
      asOwner,
    );
    expect(Object.keys(created).sort()).toEqual(['keyId', 'secret']);
    expect(created.secret).toMatch(/^caas_[A-Za-z0-9_-]{43}$/);

    const verified = await client.call<AuthenticatedApiKey>(TENANCY.verifyApiKey, { secret: created.secret }, gateway);
    expect(verified).toEqual({ keyId: created.keyId, tenantId, role: 'developer' });

    const listed = await client.call<ApiKeyView[]>(TENANCY.listApiKeys, {}, asOwner);
    expect(listed).toEqual([
      {
        keyId: created.keyId,
        name: 'ci-deployer',
        role: 'developer',
        prefix: created.secret.slice(0, 12),
        status: 'active',
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    await client.call(TENANCY.revokeApiKey, { keyId: created.keyId }, asOwner);
    await client.expectRefused(TENANCY.verifyApiKey, { secret: created.secret }, gateway, 'unauthenticated');
    expect((await client.call<ApiKeyView[]>(TENANCY.listApiKeys, {}, asOwner))[0].status).toBe('revoked');
  });

  it('an unknown or malformed secret is unauthenticated', async () => {
    const { client } = tenancy;
    await client.expectRefused(TENANCY.verifyApiKey, { secret: `caas_${'A'.repeat(43)}` }, gateway, 'unauthenticated');
    await client.expectRefused(TENANCY.verifyApiKey, { secret: 'hunter2' }, gateway, 'unauthenticated');
  });

  it('acts with its own role; never out-ranks its creator', async () => {
    const { client } = tenancy;
    const [owner, admin] = [await signUp(client, 'owner'), await signUp(client, 'admin')];
    const tenantId = await createTenant(client, owner);
    await addMember(client, tenantId, owner, admin, 'admin');
    const asAdmin = userMeta(admin.userId, tenantId);

    await client.expectRefused(TENANCY.createApiKey, { name: 'root', role: 'owner' }, asAdmin, 'forbidden');
    const adminKey = await client.call<CreatedApiKey>(TENANCY.createApiKey, { name: 'ops', role: 'admin' }, asAdmin);
    const viewerKey = await client.call<CreatedApiKey>(
      TENANCY.createApiKey,
      { name: 'dashboards', role: 'viewer' },
      asAdmin,
    );

    // The gateway verified the key and passes its role: tenancy trusts it for API keys.
    await client.call(TENANCY.createEnvironment, { name: 'from-key' }, apiKeyMeta(adminKey.keyId, tenantId, 'admin'));
    const asViewerKey = apiKeyMeta(viewerKey.keyId, tenantId, 'viewer');
    await client.expectRefused(TENANCY.createEnvironment, { name: 'nope' }, asViewerKey, 'forbidden');
    expect(await client.call<unknown[]>(TENANCY.listEnvironments, {}, asViewerKey)).toHaveLength(1);
  });

  it("tenant B's admin cannot revoke or list tenant A's key: not_found", async () => {
    const { client } = tenancy;
    const [ownerA, ownerB, adminB] = [
      await signUp(client, 'owner-a'),
      await signUp(client, 'owner-b'),
      await signUp(client, 'admin-b'),
    ];
    const [tenantA, tenantB] = [await createTenant(client, ownerA), await createTenant(client, ownerB)];
    await addMember(client, tenantB, ownerB, adminB, 'admin');
    const keyA = await client.call<CreatedApiKey>(
      TENANCY.createApiKey,
      { name: 'a', role: 'viewer' },
      userMeta(ownerA.userId, tenantA),
    );

    await client.expectRefused(
      TENANCY.revokeApiKey,
      { keyId: keyA.keyId },
      userMeta(adminB.userId, tenantB),
      'not_found',
    );
    await client.expectRefused(
      TENANCY.revokeApiKey,
      { keyId: keyA.keyId },
      userMeta(adminB.userId, tenantA),
      'not_found',
    );
    await client.expectRefused(TENANCY.listApiKeys, {}, userMeta(adminB.userId, tenantA), 'not_found');
    expect(await client.call(TENANCY.listApiKeys, {}, userMeta(adminB.userId, tenantB))).toEqual([]);
    expect(
      await client.call<AuthenticatedApiKey>(TENANCY.verifyApiKey, { secret: keyA.secret }, gateway),
    ).toMatchObject({
      tenantId: tenantA,
    });
  });

  it("a deleted tenant's keys stop authenticating", async () => {
    const { client } = tenancy;
    const owner = await signUp(client, 'owner');
    const tenantId = await createTenant(client, owner);
    const asOwner = userMeta(owner.userId, tenantId);
    const key = await client.call<CreatedApiKey>(TENANCY.createApiKey, { name: 'k', role: 'admin' }, asOwner);
    await client.call(TENANCY.deleteTenant, {}, asOwner);
    await client.expectRefused(TENANCY.verifyApiKey, { secret: key.secret }, gateway, 'unauthenticated');
  });
});
