import { spec } from '@caas/domain/src/decider-spec';
import type { TenantEvent } from './tenant.events';
import {
  admin,
  adminId,
  apiKey,
  deleted,
  developer,
  developerId,
  owner,
  ownerId,
  platformAdmin,
  staffed,
  stranger,
  strangerId,
  suspended,
  tenantId,
  viewer,
  viewerId,
} from './tenant.decider-fixtures';
import { tenantDecider } from './tenant.decider';

const tenant = spec(tenantDecider);
const invitationId = 'c0000000-0000-4000-8000-000000000001';
const invited: TenantEvent = {
  type: 'MemberInvited',
  data: { tenantId, invitationId, email: 'grace@example.com', role: 'developer' },
};

describe('tenant decider: members', () => {
  describe('InviteMember', () => {
    const invite = (caller = owner, role: 'owner' | 'developer' = 'developer', email = 'grace@example.com') =>
      ({ kind: 'InviteMember', tenantId, caller, invitationId, email, role }) as const;

    it('an owner or an admin invites by e-mail with a role', () => {
      tenant.given(staffed).when(invite(owner)).then([invited]);
      tenant.given(staffed).when(invite(admin)).then([invited]);
    });
    it('only an owner may invite an owner', () => {
      tenant
        .given(staffed)
        .when(invite(owner, 'owner'))
        .then([{ ...invited, data: { ...invited.data, role: 'owner' } } as TenantEvent]);
      tenant.given(staffed).when(invite(admin, 'owner')).thenFails('forbidden', /owner/);
      tenant
        .given(staffed)
        .when(invite(apiKey('admin'), 'owner'))
        .thenFails('forbidden');
    });
    it('is forbidden to a developer and a viewer', () => {
      tenant.given(staffed).when(invite(developer)).thenFails('forbidden');
      tenant.given(staffed).when(invite(viewer)).thenFails('forbidden');
    });
    it('answers not_found to a non-member', () => tenant.given(staffed).when(invite(stranger)).thenFails('not_found'));
    it('refuses a second pending invitation for the same address', () =>
      tenant
        .given([...staffed, invited])
        .when(invite())
        .thenFails('conflict', /pending/));
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, suspended])
        .when(invite())
        .thenFails('conflict'));
  });

  describe('AcceptInvitation', () => {
    const accept = (email = 'grace@example.com', userId = strangerId) =>
      ({ kind: 'AcceptInvitation', tenantId, invitationId, userId, email }) as const;
    const joinedByInvitation: TenantEvent = {
      type: 'MemberJoined',
      data: { tenantId, invitationId, userId: strangerId, role: 'developer' },
    };

    it('the invited address joins with the invited role', () =>
      tenant
        .given([...staffed, invited])
        .when(accept())
        .then([joinedByInvitation]));
    it('answers not_found to another address, an unknown or a used invitation', () => {
      tenant
        .given([...staffed, invited])
        .when(accept('mallory@example.com'))
        .thenFails('not_found');
      tenant.given(staffed).when(accept()).thenFails('not_found');
      tenant
        .given([...staffed, invited, joinedByInvitation])
        .when(accept())
        .thenFails('not_found');
    });
    it('answers not_found once the tenant is deleted', () =>
      tenant
        .given([...staffed, invited, deleted])
        .when(accept())
        .thenFails('not_found'));
    it('refuses an existing member with conflict', () =>
      tenant
        .given([...staffed, invited])
        .when(accept('grace@example.com', viewerId))
        .thenFails('conflict'));
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, invited, suspended])
        .when(accept())
        .thenFails('conflict', /suspended/));
  });

  describe('ChangeMemberRole', () => {
    const change = (caller = owner, userId = developerId, role: 'owner' | 'admin' | 'viewer' = 'viewer') =>
      ({ kind: 'ChangeMemberRole', tenantId, caller, userId, role }) as const;

    it('an owner or an admin changes a role', () => {
      const changed: TenantEvent = {
        type: 'MemberRoleChanged',
        data: { tenantId, userId: developerId, role: 'viewer' },
      };
      tenant.given(staffed).when(change(owner)).then([changed]);
      tenant.given(staffed).when(change(admin)).then([changed]);
    });
    it('only an owner may make or unmake an owner', () => {
      tenant
        .given(staffed)
        .when(change(admin, developerId, 'owner'))
        .thenFails('forbidden');
      tenant
        .given(staffed)
        .when(change(admin, ownerId, 'viewer'))
        .thenFails('forbidden');
      tenant
        .given(staffed)
        .when(change(owner, adminId, 'owner'))
        .then([{ type: 'MemberRoleChanged', data: { tenantId, userId: adminId, role: 'owner' } }]);
    });
    it('never leaves the tenant without an owner', () =>
      tenant
        .given(staffed)
        .when(change(owner, ownerId, 'admin'))
        .thenFails('conflict', /at least one owner/));
    it('an owner may step down once there is another owner', () =>
      tenant
        .given([...staffed, { type: 'MemberRoleChanged', data: { tenantId, userId: adminId, role: 'owner' } }])
        .when(change(owner, ownerId, 'admin'))
        .then([{ type: 'MemberRoleChanged', data: { tenantId, userId: ownerId, role: 'admin' } }]));
    it('the same role changes nothing', () =>
      tenant
        .given(staffed)
        .when(change(owner, viewerId, 'viewer'))
        .then([]));
    it('a developer, a viewer and platform staff are forbidden', () => {
      tenant.given(staffed).when(change(developer)).thenFails('forbidden');
      tenant.given(staffed).when(change(viewer)).thenFails('forbidden');
      tenant.given(staffed).when(change(platformAdmin)).thenFails('forbidden');
    });
    it('someone who is not a member of this tenant is not found', () =>
      tenant
        .given(staffed)
        .when(change(owner, strangerId))
        .thenFails('not_found', /member/));
  });

  describe('RemoveMember', () => {
    const remove = (caller = owner, userId = developerId) =>
      ({ kind: 'RemoveMember', tenantId, caller, userId }) as const;

    it('an owner or an admin removes a member', () => {
      const removed: TenantEvent = { type: 'MemberRemoved', data: { tenantId, userId: developerId } };
      tenant.given(staffed).when(remove(owner)).then([removed]);
      tenant.given(staffed).when(remove(admin)).then([removed]);
    });
    it('an admin may not remove an owner', () =>
      tenant.given(staffed).when(remove(admin, ownerId)).thenFails('forbidden'));
    it('the last owner cannot be removed', () =>
      tenant
        .given(staffed)
        .when(remove(owner, ownerId))
        .thenFails('conflict', /at least one owner/));
    it('a viewer is forbidden; a non-member target is not found', () => {
      tenant.given(staffed).when(remove(viewer)).thenFails('forbidden');
      tenant.given(staffed).when(remove(owner, strangerId)).thenFails('not_found');
    });
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, suspended])
        .when(remove())
        .thenFails('conflict'));
  });
});
