import { type InvitationView, type MemberView, type Membership, TENANCY } from '@caas/contracts';
import {
  type TenancyUnderTest,
  addMember,
  createTenant,
  signUp,
  startTenancyForTest,
  uniqueEmail,
  userMeta,
} from '../testing/tenancy-test-kit';

describe('tenancy over NATS: members and invitations', () => {
  let tenancy: TenancyUnderTest;
  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  it('invite + accept: only the invited address may accept, once', async () => {
    const { client } = tenancy;
    const [owner, grace, mallory] = [
      await signUp(client, 'owner'),
      await signUp(client, 'grace'),
      await signUp(client, 'mallory'),
    ];
    const tenantId = await createTenant(client, owner);
    const asOwner = userMeta(owner.userId, tenantId);

    const { invitationId } = await client.call<{ invitationId: string }>(
      TENANCY.inviteMember,
      { email: grace.email.toUpperCase(), role: 'developer' },
      asOwner,
    );
    expect(await client.call<InvitationView[]>(TENANCY.listInvitations, {}, asOwner)).toEqual([
      {
        invitationId,
        tenantId,
        email: grace.email,
        role: 'developer',
        status: 'pending',
        invitedAt: expect.any(String),
      },
    ]);

    await client.expectRefused(TENANCY.acceptInvitation, { invitationId }, userMeta(mallory.userId), 'not_found');
    const membership = await client.call<Membership>(
      TENANCY.acceptInvitation,
      { invitationId },
      userMeta(grace.userId),
    );
    expect(membership).toEqual({ tenantId, userId: grace.userId, role: 'developer' });
    await client.expectRefused(TENANCY.acceptInvitation, { invitationId }, userMeta(grace.userId), 'not_found');

    // Read-your-writes: the gateway can scope grace's token right away.
    expect(await client.call<Membership>(TENANCY.membership, { tenantId }, userMeta(grace.userId))).toEqual(membership);
    const members = await client.call<MemberView[]>(TENANCY.listMembers, {}, userMeta(grace.userId, tenantId));
    expect(members).toEqual([
      { userId: owner.userId, email: owner.email, name: 'owner', role: 'owner', joinedAt: expect.any(String) },
      { userId: grace.userId, email: grace.email, name: 'grace', role: 'developer', joinedAt: expect.any(String) },
    ]);
    const [invitation] = await client.call<InvitationView[]>(TENANCY.listInvitations, {}, asOwner);
    expect(invitation.status).toBe('accepted');
  });

  it('a viewer reads but every change is forbidden', async () => {
    const { client } = tenancy;
    const [owner, viewer, developer] = [
      await signUp(client, 'owner'),
      await signUp(client, 'viewer'),
      await signUp(client, 'dev'),
    ];
    const tenantId = await createTenant(client, owner);
    await addMember(client, tenantId, owner, viewer, 'viewer');
    await addMember(client, tenantId, owner, developer, 'developer');
    const asViewer = userMeta(viewer.userId, tenantId);

    expect(await client.call<MemberView[]>(TENANCY.listMembers, {}, asViewer)).toHaveLength(3);
    await client.expectRefused(
      TENANCY.inviteMember,
      { email: uniqueEmail('x'), role: 'viewer' },
      asViewer,
      'forbidden',
    );
    await client.expectRefused(TENANCY.renameTenant, { name: 'Mine now' }, asViewer, 'forbidden');
    await client.expectRefused(TENANCY.removeMember, { userId: developer.userId }, asViewer, 'forbidden');
    await client.expectRefused(
      TENANCY.changeMemberRole,
      { userId: viewer.userId, role: 'owner' },
      asViewer,
      'forbidden',
    );
    await client.expectRefused(TENANCY.createEnvironment, { name: 'prod' }, asViewer, 'forbidden');
    await client.expectRefused(TENANCY.createApiKey, { name: 'sneaky', role: 'viewer' }, asViewer, 'forbidden');
  });

  it('roles change and members leave, but the tenant always keeps an owner', async () => {
    const { client } = tenancy;
    const [owner, admin, dev] = [
      await signUp(client, 'owner'),
      await signUp(client, 'admin'),
      await signUp(client, 'dev'),
    ];
    const tenantId = await createTenant(client, owner);
    await addMember(client, tenantId, owner, admin, 'admin');
    await addMember(client, tenantId, owner, dev, 'developer');
    const [asOwner, asAdmin] = [userMeta(owner.userId, tenantId), userMeta(admin.userId, tenantId)];

    await client.expectRefused(TENANCY.changeMemberRole, { userId: owner.userId, role: 'admin' }, asOwner, 'conflict');
    await client.expectRefused(TENANCY.removeMember, { userId: owner.userId }, asOwner, 'conflict');
    await client.expectRefused(TENANCY.inviteMember, { email: uniqueEmail('o'), role: 'owner' }, asAdmin, 'forbidden');
    await client.expectRefused(TENANCY.removeMember, { userId: owner.userId }, asAdmin, 'forbidden');

    await client.call(TENANCY.changeMemberRole, { userId: dev.userId, role: 'viewer' }, asAdmin);
    expect(await client.call<Membership>(TENANCY.membership, { tenantId }, userMeta(dev.userId))).toMatchObject({
      role: 'viewer',
    });
    await client.call(TENANCY.removeMember, { userId: dev.userId }, asAdmin);
    await client.expectRefused(TENANCY.membership, { tenantId }, userMeta(dev.userId), 'not_found');
    await client.expectRefused(TENANCY.listMembers, {}, userMeta(dev.userId, tenantId), 'not_found');
  });

  it("tenant B's admin cannot touch tenant A's members: not_found, never forbidden", async () => {
    const { client } = tenancy;
    const [ownerA, memberA, ownerB, adminB] = [
      await signUp(client, 'owner-a'),
      await signUp(client, 'member-a'),
      await signUp(client, 'owner-b'),
      await signUp(client, 'admin-b'),
    ];
    const [tenantA, tenantB] = [await createTenant(client, ownerA), await createTenant(client, ownerB)];
    await addMember(client, tenantA, ownerA, memberA, 'developer');
    await addMember(client, tenantB, ownerB, adminB, 'admin');

    // With B in scope, A's member is simply not a member of B.
    const asAdminB = userMeta(adminB.userId, tenantB);
    await client.expectRefused(TENANCY.removeMember, { userId: memberA.userId }, asAdminB, 'not_found');
    await client.expectRefused(
      TENANCY.changeMemberRole,
      { userId: memberA.userId, role: 'viewer' },
      asAdminB,
      'not_found',
    );
    // With A in scope (a forged scope), B's admin is no member of A.
    const forged = userMeta(adminB.userId, tenantA);
    await client.expectRefused(TENANCY.removeMember, { userId: memberA.userId }, forged, 'not_found');
    await client.expectRefused(TENANCY.listMembers, {}, forged, 'not_found');
    await client.expectRefused(TENANCY.inviteMember, { email: uniqueEmail('x'), role: 'admin' }, forged, 'not_found');
    // Nothing changed in A.
    const members = await client.call<MemberView[]>(TENANCY.listMembers, {}, userMeta(ownerA.userId, tenantA));
    expect(members.map((m) => m.userId)).toEqual([ownerA.userId, memberA.userId]);
  });
});
