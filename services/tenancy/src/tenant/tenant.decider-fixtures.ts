import type { TenantRole } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent } from './tenant.events';

/** Shared given-events and callers for the tenant decider specs (test-only). */
export const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
export const ownerId = 'a0000000-0000-4000-8000-000000000001';
export const adminId = 'a0000000-0000-4000-8000-000000000002';
export const developerId = 'a0000000-0000-4000-8000-000000000003';
export const viewerId = 'a0000000-0000-4000-8000-000000000004';
export const strangerId = 'a0000000-0000-4000-8000-000000000009';

export const user = (id: string, platformRoles: Caller['platformRoles'] = []): Caller => ({
  actor: { type: 'user', id },
  platformRoles,
});
export const apiKey = (role: TenantRole): Caller => ({
  actor: { type: 'api-key', id: 'key-1' },
  keyRole: role,
  platformRoles: [],
});
export const owner = user(ownerId);
export const admin = user(adminId);
export const developer = user(developerId);
export const viewer = user(viewerId);
export const stranger = user(strangerId);
export const platformAdmin = user(strangerId, ['platform-admin']);
export const finance = user(strangerId, ['finance']);

export const created: TenantEvent[] = [
  { type: 'TenantCreated', data: { tenantId, name: 'Acme', planId: 'free', ownerUserId: ownerId } },
  { type: 'MemberJoined', data: { tenantId, invitationId: null, userId: ownerId, role: 'owner' } },
];

export const joined = (userId: string, role: TenantRole): TenantEvent => ({
  type: 'MemberJoined',
  data: { tenantId, invitationId: null, userId, role },
});

/** A tenant with one member of each role. */
export const staffed: TenantEvent[] = [
  ...created,
  joined(adminId, 'admin'),
  joined(developerId, 'developer'),
  joined(viewerId, 'viewer'),
];

export const suspended: TenantEvent = { type: 'TenantSuspended', data: { tenantId, reason: 'unpaid' } };
export const deleted: TenantEvent = { type: 'TenantDeleted', data: { tenantId } };
